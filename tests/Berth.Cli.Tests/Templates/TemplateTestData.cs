using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Tests.Templates;

/// <summary>Data the template tests run over: JSON as docker's inspect sees it, and a ps-like row.</summary>
internal static class TemplateTestData
{
    public const string SampleJson = """
        {"A":"x","N":1234,"F":1.5,"M":{"b":1,"a":[1,"s",null]},"L":[1,2,3],"Nul":null,
         "S":{"T":{"U":"deep"}},"E":{},"EL":[],"U":"héllo wörld",
         "LM":[{"Name":"n1","V":true},{"Name":"n2","V":false}]}
        """;

    public const string ContainerJson = """
        {"Id":"4f66ad9a0b2e","Name":"/web","Args":["-g","daemon off;"],
         "State":{"Status":"running","Running":true,"Pid":1234,"ExitCode":0,"StartedAt":"2024-05-01T10:00:00Z"},
         "Config":{"Labels":{"com.x":"y","a.b":"c"},"Env":["A=1","B=<2>"],"Cmd":null,"Image":"nginx:latest"},
         "Mounts":[{"Source":"/srv/data","Destination":"/data"},{"Source":"/srv/logs","Destination":"/logs"}],
         "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1"}}},
         "SizeRw":1700000000}
        """;

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static string Render(string template, object? data) => GoTemplate.Parse(template).Render(data);

    public static string RenderJson(string template, string json) => Render(template, Json(json));
}

/// <summary>A row of <c>berth ps</c> as the CLI's formatter would present it.</summary>
internal sealed class FakeContainerRow(string id, string image, string names, Dictionary<string, string> labels) : ITemplateObject
{
    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => id,
            "Image" => image,
            "Names" => names,
            "Labels" => string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")),
            _ => null,
        };
        return value is not null;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> args, out object? value)
    {
        value = name == "Label" && args is [string key] ? labels.GetValueOrDefault(key, "") : null;
        return value is not null;
    }

    public IEnumerable<string> FieldNames => ["ID", "Image", "Names", "Labels"];

    public string TypeName => "*formatter.ContainerContext";
}

/// <summary>The header row of <c>berth ps</c>: every field renders as its column title.</summary>
internal sealed class FakeContainerHeaders : ITemplateObject
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Names"] = "NAMES", ["Labels"] = "LABELS", ["Label"] = "LABEL",
    };

    public bool TryGetField(string name, out object? value)
    {
        value = Titles.GetValueOrDefault(name);
        return value is not null;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> args, out object? value) => TryGetField(name, out value);
}
