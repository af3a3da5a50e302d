using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli;

/// <summary>What every command gets: the runtime over the --root state directory, and the log.</summary>
public sealed class CommandContext(string root, RuntimeLog log)
{
    public RuntimeLog Log => log;

    public ContainerRuntime Runtime { get; } = new(new RuntimeOptions
    {
        Root = root,
        StageExecutable = Environment.ProcessPath ?? "/proc/self/exe",
        Warn = log.Warn,
    });
}
