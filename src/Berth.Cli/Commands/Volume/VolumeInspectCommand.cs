using System.Text.Json;
using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Volume;

/// <summary><c>berth volume inspect</c>: the daemon's JSON as an indented array, or each volume through <c>--format</c>.</summary>
internal sealed class VolumeInspectCommand : CliCommand
{
    private string _format = "";

    public override string Name => "inspect";
    public override string Usage => "[OPTIONS] VOLUME [VOLUME...]";
    public override string Short => "Display detailed information on one or more volumes";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) => flags.String("format", 'f', FormatHelp.Object, v => _format = v);

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        InspectCommand.InspectEachAsync(context, args, _format, async name => (JsonElement?)await context.Client.VolumeInspectRawAsync(name, cancellationToken).ConfigureAwait(false));
}
