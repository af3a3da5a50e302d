using Berth.Engine.Containers.Model;

namespace Berth.Engine.Containers;

/// <summary>
/// One container as the engine keeps it: what was asked at create, what it resolved to, and its state. Mutated only
/// under <see cref="Lock"/> by the container service, and persisted after every change (one SQLite row).
/// </summary>
public sealed class Container
{
    public required string Id { get; init; }

    /// <summary>With the leading slash, as Docker stores it.</summary>
    public required string Name { get; set; }

    public required DateTime Created { get; init; }
    public required ContainerConfig Config { get; init; }
    /// <summary>Replaced (not mutated) by <c>update</c>.</summary>
    public required HostConfig HostConfig { get; set; }

    /// <summary>Its binds, volumes and tmpfs mounts, resolved at create (inspect's <c>Mounts</c>).</summary>
    public IReadOnlyList<MountPoint> Mounts { get; set; } = [];

    /// <summary><c>sha256:&lt;hex&gt;</c> of the image's config.</summary>
    public required string ImageId { get; init; }

    /// <summary>The executable and its arguments, after the image's entrypoint and cmd were applied.</summary>
    public required string Path { get; init; }
    public required IReadOnlyList<string> Args { get; init; }

    public ContainerState State { get; init; } = new();

    /// <summary>The networks it is connected to, by network name; their endpoints live while it runs.</summary>
    public Dictionary<string, ContainerEndpoint> Networks { get; init; } = [];

    /// <summary>The ports published by the current run (empty while it does not run).</summary>
    public List<PublishedPort> Ports { get; set; } = [];
    public int RestartCount { get; set; }

    /// <summary>Set by an explicit stop: <c>unless-stopped</c> and <c>always</c> do not restart it until started again.</summary>
    public bool ManuallyStopped { get; set; }

    /// <summary>The shim supervising the current run (0 when none).</summary>
    public int ShimPid { get; set; }

    internal object Lock { get; } = new();

    /// <summary>Serializes start, stop, restart and remove of this container.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The current run: its shim, and a task that completes when it exits (null while not running).</summary>
    internal ContainerRun? Run { get; set; }

    /// <summary>Clients waiting for a <c>wait</c> condition.</summary>
    internal List<Waiter> Waiters { get; } = [];

    /// <summary>Attach sessions opened before start; connected to the shim when it starts.</summary>
    internal List<StreamSession> PendingAttaches { get; } = [];

    public string ShortId => Id[..12];
}

public enum ContainerStatus { Created, Running, Paused, Restarting, Removing, Exited, Dead }

/// <summary>Docker's <c>State</c>: status, pid, exit code and the times of the last start and exit.</summary>
public sealed class ContainerState
{
    public ContainerStatus Status { get; set; } = ContainerStatus.Created;
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public bool OomKilled { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime FinishedAt { get; set; }
    public HealthState? Health { get; set; }

    public bool IsRunning => Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting;
}

/// <summary>Health check results (present only when the container has a health check).</summary>
public sealed class HealthState
{
    public string Status { get; set; } = "starting";
    public int FailingStreak { get; set; }
    public List<HealthResult> Log { get; set; } = [];
}

public sealed record HealthResult(DateTime Start, DateTime End, int ExitCode, string Output);
