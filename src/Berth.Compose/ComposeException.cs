namespace Berth.Compose;

/// <summary>
/// A Compose file that cannot be used, refused before anything is created: the file, the path in the YAML
/// (<c>services.web.ports</c>) and why. Either part may be empty when the fault is not in one place.
/// </summary>
public sealed class ComposeException(string file, string path, string reason)
    : Exception(string.Join(": ", new[] { file, path, reason }.Where(p => p.Length > 0)))
{
    public string File { get; } = file;
    public string YamlPath { get; } = path;
    public string Reason { get; } = reason;

    /// <summary>A fault of the project as a whole (a cycle, an unknown service on the command line).</summary>
    public ComposeException(string reason) : this("", "", reason)
    {
    }
}
