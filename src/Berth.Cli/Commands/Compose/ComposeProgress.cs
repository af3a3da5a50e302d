namespace Berth.Cli.Commands.Compose;

/// <summary>
/// compose v2's plain progress: one line per change of an object (<c> Container app-web-1 Started </c>) on stderr,
/// from any of the tasks that converge services in parallel.
/// </summary>
internal sealed class ComposeProgress(TextWriter output)
{
    private readonly Lock _lock = new();

    public void Event(string id, string status, string details = "")
    {
        // Go's Fprintln(out, "", id, text, details): operands joined by spaces, hence the leading and trailing ones.
        lock (_lock)
            output.WriteLine($" {id} {status} {details}");
    }

    public void Container(string name, string status, string details = "") => Event("Container " + name, status, details);
}
