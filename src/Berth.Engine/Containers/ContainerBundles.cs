using System.Text.Json;
using Berth.Engine.Containers.Oci;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers;

/// <summary>
/// Writes a container's OCI bundle before each start: its /etc files, then config.json (write-then-rename) from
/// <see cref="SpecBuilder"/>, with the working directory made in the mounted rootfs.
/// </summary>
internal sealed class ContainerBundles(EngineOptions options, Func<string, Container> lookup)
{
    /// <summary>
    /// Writes the bundle; returns the container's process as JSON (execs and health probes start from it).
    /// <paramref name="netns"/> is the container's own network namespace, when the engine made one, and
    /// <paramref name="network"/> what its /etc files say of its networks, <paramref name="ipc"/> its /dev/shm and the
    /// IPC namespace it joins, <paramref name="pidNamespace"/> the PID namespace it joins.
    /// </summary>
    public string Write(Container container, ContainerLayout layout, ImageRuntimeConfig? imageConfig, string? netns, NetworkFacts network,
        (string? ShmPath, string? NamespacePath) ipc, string? pidNamespace)
    {
        var id = container.Id;
        var rootfs = layout.Rootfs(id);
        var (joined, hostname, donor) = JoinedNetwork(container);
        // moby's initializeNetworking: a container:<id> container has the other's /etc files, not files of its own.
        var files = donor ?? id;
        var input = new SpecInput
        {
            ContainerId = id,
            Config = container.Config,
            HostConfig = Ulimits.WithDefaults(container.HostConfig, options.DefaultUlimits),
            Image = imageConfig,
            RootfsPath = rootfs,
            CgroupsPath = SpecBuilder.CgroupsPathOf(container.HostConfig, id),
            ShmPath = ipc.ShmPath,
            IpcNamespacePath = ipc.NamespacePath,
            PidNamespacePath = pidNamespace,
            HostnamePath = layout.Hostname(files),
            HostsPath = layout.Hosts(files),
            ResolvConfPath = layout.ResolvConf(files),
            InitPath = container.HostConfig.Init ? options.InitPath : null,
            NetworkNamespacePath = netns ?? joined,
            Hostname = hostname,
            Mounts = container.Mounts,
        };
        var spec = SpecBuilder.Build(input);
        if (donor is null)
        {
            ContainerFiles.Write(layout.Dir(id),
                ContainerFiles.Create(spec.Hostname ?? id[..12], container.Config, container.HostConfig, HostNameFiles.Read(),
                    network.Addresses, ipv6: true, network.HostGateway, network.InternalResolver));
        }
        RootfsFiles.CreateWorkingDirectory(rootfs, spec.Process!.Cwd);
        if (options.RuntimeBinary(container.HostConfig.Runtime) is not null) spec.OciVersion = SpecVersion.Interoperable;
        var path = Path.Combine(layout.Dir(id), "config.json");
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(spec, OciJsonContext.Default.Spec));
        File.Move(temp, path, overwrite: true);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) ProcessWriter.Write(writer, spec.Process);
        return global::System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>What a container's /etc files say of its networks: its addresses, the host gateway, the embedded DNS server.</summary>
    public sealed record NetworkFacts(IReadOnlyList<global::System.Net.IPAddress> Addresses, IReadOnlyList<global::System.Net.IPAddress> HostGateway, bool InternalResolver);

    public User ResolveUser(string rootfs, string user, Model.HostConfig hostConfig) => UserResolver.Resolve(rootfs, user, hostConfig.GroupAdd);

    public LinuxCapabilities AllCapabilities()
    {
        var all = DockerCapabilities.Resolve([], [], privileged: true, SpecHost.Current.LastCapability);
        return new LinuxCapabilities { Bounding = [.. all], Effective = [.. all], Permitted = [.. all] };
    }

    /// <summary><c>container:&lt;x&gt;</c>: the other container's network namespace, hostname and id; it must be running.</summary>
    private (string? NetnsPath, string? Hostname, string? DonorId) JoinedNetwork(Container container)
    {
        var mode = container.HostConfig.NetworkMode;
        if (!mode.StartsWith("container:", StringComparison.Ordinal)) return (null, null, null);
        var other = lookup(mode["container:".Length..]);
        if (!other.State.IsRunning || other.State.Pid == 0)
            throw new EngineException(ErrorKind.Conflict, $"cannot join network of a non running container: {other.Id}");
        return ($"/proc/{other.State.Pid}/ns/net", other.Config.Hostname ?? other.Id[..12], other.Id);
    }
}
