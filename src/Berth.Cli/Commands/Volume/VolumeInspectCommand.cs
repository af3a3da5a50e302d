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

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var template = _format.Length > 0 ? FormatTemplate.Parse(_format) : null;
        var found = new List<JsonElement>();
        var errors = new List<string>();
        foreach (var name in args)
        {
            try
            {
                var element = await context.Client.VolumeInspectRawAsync(name, cancellationToken).ConfigureAwait(false);
                if (template is null)
                {
                    found.Add(element);
                    continue;
                }
                template.Execute(context.Out, element);
                await context.Out.WriteAsync('\n').ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                errors.Add(Errors.Describe(e));
            }
        }
        if (template is null)
            InspectCommand.WriteIndented(context.Out, found);
        return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
    }
}
