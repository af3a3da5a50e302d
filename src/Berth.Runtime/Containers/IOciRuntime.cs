using Berth.Oci.Runtime;

namespace Berth.Runtime.Containers;

/// <summary>
/// What a shim asks of an OCI runtime: runc's operations on one container. Berth's own runtime serves them in-process
/// (<see cref="ContainerRuntime"/>); any runtime with runc's command line (runc, crun) through its binary
/// (<see cref="CommandLineRuntime"/>).
/// </summary>
public interface IOciRuntime
{
    /// <summary>
    /// Creates the container, its init held before the user's program; returns the init's pid. The caller reaps it:
    /// it is the caller's child, or becomes it when the caller is a child subreaper.
    /// </summary>
    int Create(CreateRequest request);

    void Start(string id);

    void Kill(string id, int signal, bool all);

    void Pause(string id);

    void Resume(string id);

    /// <summary>created, running, paused or stopped (<see cref="ContainerStatus"/>).</summary>
    string Status(string id);

    void Update(string id, LinuxResources resources);

    IReadOnlyList<int> Pids(string id);

    /// <summary>Starts a process in the running container; returns its pid, to be reaped as the init's.</summary>
    int Exec(ExecRequest request);

    /// <summary>Whether the OOM killer has killed a process of the container (read before <see cref="Delete"/>).</summary>
    bool OomKilled(string id);

    /// <summary>Removes the container's state and cgroup; <paramref name="force"/> kills what still runs first.</summary>
    void Delete(string id, bool force);
}
