namespace Berth.Engine.Builds;

/// <summary>A build that stopped: the message the build's stream reports and the exit code (a failed RUN's own).</summary>
public sealed class BuildFailedException(string message, int code, Exception? inner = null) : Exception(message, inner)
{
    public int Code { get; } = code;
}
