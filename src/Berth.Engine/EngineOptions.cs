namespace Berth.Engine;

/// <summary>How the engine runs: its data root, and its name on this host.</summary>
public sealed class EngineOptions
{
    public const string DefaultDataRoot = "/var/lib/berth";

    public string DataRoot { get; init; } = DefaultDataRoot;
}
