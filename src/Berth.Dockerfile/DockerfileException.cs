namespace Berth.Dockerfile;

/// <summary>
/// A Dockerfile that cannot be parsed; <see cref="Line"/> is 1-based (0 when the caller must supply it), the message is
/// Docker's: <c>dockerfile parse error on line 3: unknown instruction: FOO</c> for a bad instruction, the bare text for
/// what Docker finds while reading the file (<see cref="IsSyntaxError"/>) or while grouping stages.
/// </summary>
public sealed class DockerfileException(int line, string message, bool isSyntaxError = false) : Exception(message)
{
    public int Line { get; } = line;

    /// <summary>Found while reading the file (directives, JSON, heredocs, ENV/LABEL pairs): moby names the file then.</summary>
    public bool IsSyntaxError { get; } = isSyntaxError;

    /// <summary>The text the legacy builder reports: <c>failed to parse Dockerfile: …</c> for syntax errors, else the message.</summary>
    public string ToDockerMessage(string dockerfileName) =>
        IsSyntaxError ? $"failed to parse {dockerfileName}: {Message}" : Message;
}
