namespace Berth.Runtime.Containers;

/// <summary>How the runtime runs: where its state lives and which binary serves as the in-container stage.</summary>
public sealed class RuntimeOptions
{
    public string Root { get; init; } = State.StateStore.DefaultRoot;

    /// <summary>The berth-runtime executable that the init and exec stages run from (bound read-only in their mount namespace).</summary>
    public required string StageExecutable { get; init; }

    /// <summary>Where warnings go (the --log file, or stderr).</summary>
    public Action<string> Warn { get; init; } = _ => { };
}
