using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Image;

/// <summary>
/// <c>berth rmi</c>: prints each <c>Untagged:</c>/<c>Deleted:</c> line the daemon reports; errors at the end, where
/// with <c>-f</c> images that were not found alone do not fail the command, as in docker.
/// </summary>
internal sealed class RmiCommand : CliCommand
{
    private bool _force;
    private bool _noPrune;

    public override string Name => "rmi";
    public override string Usage => "[OPTIONS] IMAGE [IMAGE...]";
    public override string Short => "Remove one or more images";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("force", 'f', "Force removal of the image", v => _force = v);
        flags.Bool("no-prune", null, "Do not delete untagged parents", v => _noPrune = v);
        flags.String("platform", null, "Remove only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")", _ => { })
            .ValueTypeIs("strings").UnsupportedBecause(DaemonSupport.RequiresApi("1.50"));
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var fatal = false;
        foreach (var image in args)
        {
            try
            {
                foreach (var item in await context.Client.ImageRemoveAsync(image, _force, _noPrune, cancellationToken).ConfigureAwait(false))
                {
                    if (item.Untagged is { } untagged)
                        await context.Out.WriteLineAsync($"Untagged: {untagged}").ConfigureAwait(false);
                    if (item.Deleted is { } deleted)
                        await context.Out.WriteLineAsync($"Deleted: {deleted}").ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                fatal |= e is not ApiException { IsNotFound: true };
                errors.Add(Errors.Describe(e));
            }
        }
        if (errors.Count == 0)
            return 0;
        if (fatal || !_force)
            throw new StatusException(1, string.Join('\n', errors));
        await context.Err.WriteLineAsync(string.Join('\n', errors)).ConfigureAwait(false);
        return 0;
    }
}
