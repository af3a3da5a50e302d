namespace Berth.Engine.Containers.Oci;

/// <summary>
/// <c>--sysctl</c> values: only namespaced ones are allowed, with the rules and messages runc applies when Docker
/// starts the container (IPC sysctls need the container's IPC namespace, <c>net.*</c> its own network namespace).
/// </summary>
public static class Sysctls
{
    private static readonly HashSet<string> Ipc =
        ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"];

    /// <param name="hostNetwork">The container shares the host's network namespace.</param>
    public static void Validate(IReadOnlyDictionary<string, string> sysctls, bool hostNetwork)
    {
        foreach (var raw in sysctls.Keys)
        {
            var name = raw.Replace('/', '.');
            if (Ipc.Contains(name) || name.StartsWith("fs.mqueue.", StringComparison.Ordinal)) continue; // Berth always gives a private IPC namespace
            if (name.StartsWith("net.", StringComparison.Ordinal))
            {
                if (hostNetwork) throw Refused($"sysctl \"{name}\" not allowed in host network namespace");
                continue;
            }
            if (name == "kernel.domainname") continue;
            if (name == "kernel.hostname") throw Refused($"sysctl \"{name}\" is not allowed as it conflicts with the OCI \"hostname\" field");
            throw Refused($"sysctl \"{name}\" is not in a separate kernel namespace");
        }
    }

    private static EngineException Refused(string message) => new(ErrorKind.InvalidArgument, message);
}
