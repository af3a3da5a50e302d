using System.Text.Json;
using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Network;

/// <summary>
/// <c>berth network inspect</c>: the daemon's JSON as an indented array, or each network through <c>--format</c>;
/// networks that fail are reported after the output with the daemon's message, exit 1 (docker's <c>inspect.Inspect</c>).
/// </summary>
internal sealed class NetworkInspectCommand : CliCommand
{
    private string _format = "";
    private bool _verbose;

    public override string Name => "inspect";
    public override string Usage => "[OPTIONS] NETWORK [NETWORK...]";
    public override string Short => "Display detailed information on one or more networks";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("format", 'f', FormatHelp.Object, v => _format = v);
        flags.Bool("verbose", 'v', "Verbose output for diagnostics", v => _verbose = v);
    }

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        InspectCommand.InspectEachAsync(context, args, _format, async name => (JsonElement?)await context.Client.NetworkInspectRawAsync(name, _verbose, cancellationToken).ConfigureAwait(false));
}
