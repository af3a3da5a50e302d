using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Compose.Yaml;

namespace Berth.Compose.Model;

/// <summary>
/// One service of a loaded project, read from its canonical node: what the commands turn into containers.
/// Absent fields are null or empty, never a default of the engine's: the engine applies its own.
/// </summary>
public sealed partial class ServiceConfig(string name, MapNode node)
{
    public string Name { get; } = name;
    public MapNode Node { get; } = node;

    public string? Image => Text("image");
    public BuildConfig? Build => Node["build"] is MapNode b ? new BuildConfig(b) : null;
    public IReadOnlyList<string>? Command => Words("command");
    public IReadOnlyList<string>? Entrypoint => Words("entrypoint");
    public IReadOnlyDictionary<string, string?> Environment =>
        (Node["environment"] as MapNode)?.Entries.ToDictionary(e => e.Key, e => e.Value is ScalarNode { IsNull: true } ? null : e.Value.ToString()) ?? [];
    public IReadOnlyDictionary<string, string> Labels => StringMap(Node["labels"]);
    public IReadOnlyList<PortConfig> Ports => Maps("ports").Select(p => new PortConfig(p)).ToList();
    public IReadOnlyList<string> Expose => Strings("expose");
    public IReadOnlyList<VolumeMount> Volumes => Maps("volumes").Select(v => new VolumeMount(v)).ToList();
    public IReadOnlyList<Dependency> DependsOn =>
        (Node["depends_on"] as MapNode)?.Entries.Select(e => new Dependency(e.Key, (MapNode)e.Value)).ToList() ?? [];

    /// <summary>The networks the service joins, by their key in the project (null settings when it gives none).</summary>
    public IReadOnlyList<ServiceNetwork> Networks =>
        (Node["networks"] as MapNode)?.Entries.Select(e => new ServiceNetwork(e.Key, e.Value as MapNode)).ToList() ?? [];

    public IReadOnlyList<FileReference> Secrets => Maps("secrets").Select(m => new FileReference(m)).ToList();
    public IReadOnlyList<FileReference> Configs => Maps("configs").Select(m => new FileReference(m)).ToList();
    public HealthcheckConfig? Healthcheck => Node["healthcheck"] is MapNode h ? new HealthcheckConfig(h) : null;
    public string? Restart => Text("restart");
    public string? ContainerName => Text("container_name");
    public string? User => Text("user");
    public string? WorkingDir => Text("working_dir");
    public string? Hostname => Text("hostname");
    public string? Domainname => Text("domainname");
    public string? MacAddress => Text("mac_address");
    public string? NetworkMode => Text("network_mode");
    public string? StopSignal => Text("stop_signal");
    public string? StopGracePeriod => Text("stop_grace_period");
    public string? PullPolicy => Text("pull_policy");
    public string? Platform => Text("platform");
    public string? Pid => Text("pid");
    public string? Ipc => Text("ipc");
    public string? Cgroup => Text("cgroup");
    public string? CgroupParent => Text("cgroup_parent");
    public string? UsernsMode => Text("userns_mode");
    public string? Uts => Text("uts");
    public string? Runtime => Text("runtime");
    public string? Isolation => Text("isolation");
    public string? VolumeDriver => Text("volume_driver");
    public IReadOnlyList<string> VolumesFrom => Strings("volumes_from");
    public IReadOnlyList<string> DeviceCgroupRules => Strings("device_cgroup_rules");
    public IReadOnlyDictionary<string, string> StorageOpt => StringMap(Node["storage_opt"]);
    public IReadOnlyDictionary<string, string> Annotations => StringMap(Node["annotations"]);
    public ResourceConfig Resources => new(Node);

    /// <summary><c>deploy.restart_policy</c>, which compose v2 prefers to <c>restart</c>: its condition and max attempts.</summary>
    public (string Condition, int MaxAttempts)? DeployRestartPolicy =>
        (Node["deploy"] as MapNode)?["restart_policy"] is MapNode policy
            ? (policy["condition"]?.ToString() ?? "", policy["max_attempts"] is ScalarNode a ? int.Parse(a.Value, CultureInfo.InvariantCulture) : 0)
            : null;
    public IReadOnlyList<string> ExtraHosts => Strings("extra_hosts");
    public IReadOnlyList<string> Dns => Strings("dns");
    public IReadOnlyList<string> DnsSearch => Strings("dns_search");
    public IReadOnlyList<string> DnsOptions => Strings("dns_opt");
    public IReadOnlyList<string> CapAdd => Strings("cap_add");
    public IReadOnlyList<string> CapDrop => Strings("cap_drop");
    public IReadOnlyList<string> Tmpfs => Strings("tmpfs");
    public IReadOnlyList<string> SecurityOpt => Strings("security_opt");
    public IReadOnlyList<string> Links => Strings("links");
    public IReadOnlyList<string> GroupAdd => Strings("group_add");
    public IReadOnlyDictionary<string, string> Sysctls => StringMap(Node["sysctls"]);
    public bool Privileged => Flag("privileged");
    public bool ReadOnly => Flag("read_only");
    public bool Tty => Flag("tty");
    public bool StdinOpen => Flag("stdin_open");
    public bool? Init => Node["init"] is ScalarNode s ? NodeAccess.BoolValue(s.Value) : null;

    /// <summary>How many containers <c>up</c> makes: <c>scale</c>, else <c>deploy.replicas</c>, else one.</summary>
    public int Replicas => Node["scale"] is ScalarNode s ? int.Parse(s.Value, CultureInfo.InvariantCulture)
        : (Node["deploy"] as MapNode)?["replicas"] is ScalarNode r ? int.Parse(r.Value, CultureInfo.InvariantCulture) : 1;

    /// <summary>
    /// The configuration hash compose labels containers with (<c>com.docker.compose.config-hash</c>): SHA-256 of the
    /// service without what does not change a container (build, pull_policy, scale, replicas, depends_on, profiles).
    /// <c>up</c> recreates a container whose label differs.
    /// </summary>
    public string ConfigHash()
    {
        var hashed = (MapNode)Node.Clone();
        foreach (var key in new[] { "build", "pull_policy", "scale", "depends_on", "profiles" })
            hashed.Entries.Remove(key);
        (hashed["deploy"] as MapNode)?.Entries.Remove("replicas");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(YamlWriter.Json(hashed))));
    }

    private string? Text(string key) => Node[key] is ScalarNode { IsNull: false } s ? s.Value : null;
    private bool Flag(string key) => Node[key] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    private IReadOnlyList<string>? Words(string key) => Node[key] is SeqNode seq ? seq.Items.Select(i => i.ToString()!).ToList() : null;
    private IReadOnlyList<string> Strings(string key) => Words(key) ?? [];
    private IEnumerable<MapNode> Maps(string key) => (Node[key] as SeqNode)?.Items.Cast<MapNode>() ?? [];

    /// <summary>A mapping of strings, unset (null) entries left out.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(Node? node) =>
        (node as MapNode)?.Entries.Where(e => e.Value is not ScalarNode { IsNull: true }).ToDictionary(e => e.Key, e => e.Value.ToString()!) ?? [];
}
