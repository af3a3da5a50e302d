namespace Berth.Build;

/// <summary>A build that cannot go on: the message is what the build's stream reports, <see cref="Code"/> its exit code.</summary>
public sealed class BuildException(string message, int code = 1, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;
}
