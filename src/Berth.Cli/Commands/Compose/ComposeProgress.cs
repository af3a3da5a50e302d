using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// compose v2's progress for an operation (<c>up</c>, <c>down</c>…), on stderr, from any of the tasks that converge
/// services in parallel. On a terminal each object has one line, redrawn in place (<see cref="TerminalProgress"/>);
/// elsewhere every change is a plain line (<c> Container app-web-1 Started </c>). Dispose to draw the last state.
/// </summary>
internal class ComposeProgress(TextWriter output) : IDisposable
{
    private readonly Lock _lock = new();

    /// <summary>
    /// The display compose v2 picks: <c>--progress</c> when given, else a terminal on stderr unless <c>--ansi never</c>.
    /// </summary>
    public static ComposeProgress For(CliContext context, ComposeOptions options, string operation, bool detached = true)
    {
        var terminal = options.Progress switch
        {
            "tty" => true,
            "plain" => false,
            "quiet" or "none" => (bool?)null,
            _ => options.Ansi != "never" && context.Console.Terminal.IsStderrTerminal,
        };
        return terminal switch
        {
            null => new ComposeProgress(TextWriter.Null),
            true => new TerminalProgress(context.Err, () => context.Console.Terminal.GetSize(), operation, detached),
            false => new ComposeProgress(context.Err),
        };
    }

    public void Event(string id, string status, string details = "")
    {
        lock (_lock)
            Show(id, status, details);
    }

    public void Container(string name, string status, string details = "") => Event("Container " + name, status, details);

    /// <summary>Go's <c>Fprintln(out, "", id, text, details)</c>: operands joined by spaces, hence the leading and trailing ones.</summary>
    protected virtual void Show(string id, string status, string details) => output.WriteLine($" {id} {status} {details}");

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
