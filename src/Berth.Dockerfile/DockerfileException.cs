namespace Berth.Dockerfile;

/// <summary>A Dockerfile that cannot be parsed; <see cref="Line"/> is 1-based, the message names the instruction.</summary>
public sealed class DockerfileException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
