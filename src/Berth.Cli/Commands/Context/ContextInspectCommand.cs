using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Context;

/// <summary><c>berth context inspect [NAME...]</c>: docker's JSON for each (the one in use by default).</summary>
internal sealed class ContextInspectCommand : CliCommand
{
    private const string InMemory = "<IN MEMORY>";
    private string _format = "";

    public override string Name => "inspect";
    public override string Usage => "[OPTIONS] [CONTEXT] [CONTEXT...]";
    public override string Short => "Display detailed information on one or more contexts";

    public override void Configure(FlagSet flags) =>
        flags.String("format", 'f', FormatHelp.Object, v => _format = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var names = args.Count > 0 ? args : [context.Daemon.ContextName];
        var template = _format.Length > 0 ? FormatTemplate.Parse(_format) : null;
        var found = new List<JsonElement>();
        var errors = new List<string>();
        foreach (var name in names)
        {
            JsonObject node;
            try
            {
                node = Describe(context.Daemon, name);
            }
            catch (Exception e) when (e is ContextNotFoundException or InvalidDataException)
            {
                errors.Add(e.Message);
                continue;
            }
            var element = JsonData.ToElement(node);
            if (template is null)
                found.Add(element);
            else
            {
                template.Execute(context.Out, element);
                await context.Out.WriteAsync('\n').ConfigureAwait(false);
            }
        }
        if (template is null)
            InspectCommand.WriteIndented(context.Out, found, escapeHtml: true);
        return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
    }

    /// <summary>docker's <c>contextWithTLSListing</c>: the metadata, the TLS file names, where it is stored.</summary>
    private static JsonObject Describe(DaemonSelection daemon, string name)
    {
        var store = daemon.Store;
        var isDefault = name == ContextStore.DefaultName;
        var stored = isDefault ? new DockerContext(name, "", daemon.DefaultHost, false) : store.Load(name);
        var metadata = new JsonObject();
        if (stored.Description.Length > 0)
            metadata["Description"] = stored.Description;
        var tls = new JsonObject();
        if (stored.TlsFiles.Count > 0)
            tls["docker"] = new JsonArray(stored.TlsFiles.Keys.Order(StringComparer.Ordinal).Select(f => (JsonNode?)f).ToArray());
        return new JsonObject
        {
            ["Name"] = stored.Name,
            ["Metadata"] = metadata,
            ["Endpoints"] = new JsonObject { ["docker"] = new JsonObject { ["Host"] = stored.Host, ["SkipTLSVerify"] = stored.SkipTlsVerify } },
            ["TLSMaterial"] = tls,
            ["Storage"] = new JsonObject
            {
                ["MetadataPath"] = isDefault ? InMemory : store.MetaDirectory(name),
                ["TLSPath"] = isDefault ? InMemory : store.TlsDirectory(name),
            },
        };
    }
}
