using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Context;

/// <summary>One <c>context ls</c> row (docker's <c>formatter.ClientContext</c>); errors cut to 45 columns as docker cuts them.</summary>
internal sealed class ContextRow(string name, string description, string endpoint, string error, bool current) : ITemplateObject
{
    public const string DefaultTable = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}";
    private const int MaxErrorLength = 45;

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["Name"] = "NAME", ["Description"] = "DESCRIPTION", ["DockerEndpoint"] = "DOCKER ENDPOINT", ["Error"] = "ERROR",
        // No header for Current: docker's header map has none, so `{{if .Current}}` is false on the header row.
        ["Current"] = "",
    });

    private static readonly string[] Fields = ["Current", "Description", "DockerEndpoint", "Error", "Name"];

    public string Name => name;

    public IEnumerable<string> FieldNames => Fields;

    public string TypeName => "*context.clientContextContext";

    public bool TryGetField(string field, out object? value)
    {
        value = field switch
        {
            "Name" => name,
            "Description" => description,
            "DockerEndpoint" => endpoint,
            "Error" => Text.Ellipsis(error, MaxErrorLength),
            "Current" => current,
            _ => null,
        };
        return value is not null;
    }
}
