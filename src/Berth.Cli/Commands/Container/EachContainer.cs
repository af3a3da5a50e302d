using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// docker's loop for commands over several containers: each name is printed as it succeeds, failures are
/// collected and printed together at the end, and any failure makes the exit status 1.
/// </summary>
internal static class EachContainer
{
    /// <param name="tolerated">Failures printed as they happen that do not fail the command (<c>rm -f</c> of a missing container).</param>
    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> containers, Func<string, Task> action,
        Func<Exception, bool>? tolerated = null)
    {
        var errors = new List<string>();
        foreach (var container in containers)
        {
            try
            {
                await action(container).ConfigureAwait(false);
                await context.Out.WriteLineAsync(container).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && tolerated?.Invoke(e) == true)
            {
                await context.Err.WriteLineAsync(Errors.Describe(e)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(Errors.Describe(e));
            }
        }
        if (errors.Count == 0)
            return 0;
        throw new StatusException(1, string.Join('\n', errors));
    }
}
