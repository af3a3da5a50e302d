namespace Berth.Compose.Loading;

/// <summary>What the command line and the environment say about where the project is and how to read it.</summary>
public sealed record LoadOptions
{
    /// <summary><c>-f</c>, in order; empty: <c>COMPOSE_FILE</c>, else compose.yaml (or its older names) here or above.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary><c>-p</c>.</summary>
    public string? ProjectName { get; init; }

    /// <summary><c>--project-directory</c>; by default the first file's directory.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary><c>--env-file</c>; by default <c>.env</c> in the project directory, when it exists.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary><c>--profile</c>; none: <c>COMPOSE_PROFILES</c>.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Services named on the command line: enabled whatever their profiles.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    public required Func<string, string?> Environment { get; init; }

    /// <summary>The process's current directory, where relative paths of the command line start.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Where warnings go (an unset variable).</summary>
    public Action<string> Warn { get; init; } = _ => { };
}
