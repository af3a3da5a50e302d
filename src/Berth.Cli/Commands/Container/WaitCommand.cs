using System.Globalization;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth wait</c>: blocks until each container stops, printing its exit code.</summary>
internal sealed class WaitCommand : CliCommand
{
    public override string Name => "wait";
    public override string Usage => "CONTAINER [CONTAINER...]";
    public override string Short => "Block until one or more containers stop, then print their exit codes";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var container in args)
        {
            try
            {
                var body = await context.Client.ContainerWaitAsync(container, "not-running", cancellationToken).ConfigureAwait(false);
                var result = await body.ConfigureAwait(false);
                if (result.Error is { } error)
                    throw new InvalidOperationException(error.Message);
                await context.Out.WriteLineAsync(result.StatusCode.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(Errors.Describe(e));
            }
        }
        return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
    }
}
