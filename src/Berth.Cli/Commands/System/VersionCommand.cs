using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.System;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth version</c>: the client's versions, then the daemon's (<c>GET /version</c>). An unreachable daemon
/// still prints the client part, then fails.
/// </summary>
internal sealed class VersionCommand : CliCommand
{
    private string _format = "";

    public override string Name => "version";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Show the Berth version information";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags) =>
        flags.String("format", 'f', FormatHelp.Object, v => _format = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        SystemVersion? server = null;
        Exception? failure = null;
        try
        {
            server = await context.Client.VersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = e;
        }
        if (_format.Length > 0)
            FormatTemplate.WriteLine(FormatTemplate.Parse(_format), context.Out, Data(server, context.Daemon.ContextName));
        else
            WriteText(context.Out, server, context.Daemon.ContextName);
        return failure is null ? 0 : throw new StatusException(1, Errors.Describe(failure));
    }

    private static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static void WriteText(TextWriter output, SystemVersion? server, string context)
    {
        output.WriteLine("Client:");
        output.WriteLine($" Version:           {BuildInfo.Version}");
        output.WriteLine($" API version:       {BuildInfo.ApiVersion}");
        output.WriteLine($" Runtime:           .NET {Environment.Version}");
        output.WriteLine($" Git commit:        {BuildInfo.GitCommit}");
        output.WriteLine($" Built:             {BuildInfo.BuildTime}");
        output.WriteLine($" OS/Arch:           linux/{Arch}");
        output.WriteLine($" Context:           {context}");
        if (server is null)
            return;
        output.WriteLine();
        output.WriteLine($"Server: {(server.Platform.Name.Length > 0 ? server.Platform.Name : "Berth Engine")}");
        foreach (var component in server.Components)
        {
            output.WriteLine($" {component.Name}:");
            output.WriteLine($"  Version:          {component.Version}");
            if (component.Name == "Engine")
            {
                output.WriteLine($"  API version:      {server.ApiVersion} (minimum version {server.MinAPIVersion})");
                output.WriteLine($"  Go version:       {server.GoVersion}");
                output.WriteLine($"  Git commit:       {server.GitCommit}");
                output.WriteLine($"  Built:            {server.BuildTime}");
                output.WriteLine($"  OS/Arch:          {server.Os}/{server.Arch}");
                output.WriteLine($"  Experimental:     {component.Details.GetValueOrDefault("Experimental", "false")}");
            }
            else
            {
                foreach (var (key, value) in component.Details)
                    output.WriteLine($"  {key + ":",-17} {value}");
            }
        }
    }

    /// <summary>The Go names of docker's version structs whose JSON keys differ.</summary>
    private static readonly Dictionary<string, string> GoNames = new() { ["APIVersion"] = "ApiVersion" };

    /// <summary><c>{{.Client.Version}}</c>, <c>{{.Server.APIVersion}}</c>… as docker's version template sees them.</summary>
    private static GoStruct Data(SystemVersion? server, string context)
    {
        var root = new JsonObject
        {
            ["Client"] = new JsonObject
            {
                ["Platform"] = new JsonObject { ["Name"] = "" },
                ["Version"] = BuildInfo.Version,
                ["ApiVersion"] = BuildInfo.ApiVersion,
                ["DefaultAPIVersion"] = BuildInfo.ApiVersion,
                ["GitCommit"] = BuildInfo.GitCommit,
                ["GoVersion"] = ".NET " + Environment.Version,
                ["Os"] = "linux",
                ["Arch"] = Arch,
                ["BuildTime"] = BuildInfo.BuildTime,
                ["Context"] = context,
            },
            ["Server"] = server is null ? null : JsonData.ToNode(server, ApiJsonContext.Default.SystemVersion),
        };
        return new GoStruct(JsonData.ToElement(root), GoNames, "command.versionInfo");
    }
}
