using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// docker's loop for commands over several containers: each name is printed as it succeeds, failures are
/// collected and printed together at the end, and any failure makes the exit status 1.
/// </summary>
internal static class EachContainer
{
    /// <summary>How many operations docker's <c>parallelOperation</c> (rm, stop, kill, pause, unpause) runs at once.</summary>
    private const int MaxParallel = 50;

    /// <param name="tolerated">Failures printed as they happen that do not fail the command (<c>rm -f</c> of a missing container).</param>
    /// <param name="parallel">
    /// Run the operations at once (at most <see cref="MaxParallel"/>), as docker's rm, stop, kill, pause and unpause
    /// do; results are still printed in the order of <paramref name="containers"/>.
    /// </param>
    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> containers, Func<string, Task> action,
        Func<Exception, bool>? tolerated = null, bool parallel = false)
    {
        using var slots = new SemaphoreSlim(parallel ? MaxParallel : 1);
        var operations = containers.Select(async container =>
        {
            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await action(container).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var errors = new List<string>();
        for (var i = 0; i < containers.Count; i++)
        {
            try
            {
                await operations[i].ConfigureAwait(false);
                await context.Out.WriteLineAsync(containers[i]).ConfigureAwait(false);
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
