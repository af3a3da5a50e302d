using Berth.Compose.Yaml;

namespace Berth.Compose.Model;

/// <summary>
/// A loaded project: its name, directory and files (which go into compose's labels), the canonical tree that
/// <c>config</c> prints, and typed views of its services, networks and volumes for the commands.
/// </summary>
public sealed class ComposeProject
{
    public ComposeProject(string name, string workingDirectory, IReadOnlyList<string> configFiles, MapNode tree, IReadOnlyList<string> envFiles,
        Func<string, string?>? environment = null)
    {
        Environment = environment ?? (_ => null);
        Name = name;
        WorkingDirectory = workingDirectory;
        ConfigFiles = configFiles;
        EnvFiles = envFiles;
        Tree = tree;
        Services = ((MapNode)tree["services"]!).Entries.Select(e => new ServiceConfig(e.Key, (MapNode)e.Value)).ToList();
        Networks = Resources(tree["networks"]).Select(e => new NetworkConfig(e.Key, e.Value)).ToList();
        Volumes = Resources(tree["volumes"]).Select(e => new VolumeConfig(e.Key, e.Value)).ToList();
    }

    public string Name { get; }
    public string WorkingDirectory { get; }
    public IReadOnlyList<string> ConfigFiles { get; }
    public IReadOnlyList<string> EnvFiles { get; }
    public MapNode Tree { get; }

    /// <summary>The project's environment (the process's, then the env files'), which <c>environment:</c> secrets read.</summary>
    public Func<string, string?> Environment { get; }
    public IReadOnlyList<ServiceConfig> Services { get; }
    public IReadOnlyList<NetworkConfig> Networks { get; }
    public IReadOnlyList<VolumeConfig> Volumes { get; }

    public ServiceConfig? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// The host file behind a top-level secret or config (<paramref name="section"/> is <c>secrets</c> or
    /// <c>configs</c>), made absolute when loaded; null for one given otherwise (<c>environment</c>, <c>external</c>).
    /// </summary>
    public string? FileOf(string section, string key) => ((Tree[section] as MapNode)?[key] as MapNode)?["file"]?.ToString();

    /// <summary>
    /// The text of a secret or config given inline (<c>content</c>) or by a variable of the project's environment
    /// (<c>environment</c>), which compose writes into the container after create; null for one given otherwise.
    /// </summary>
    /// <exception cref="ComposeException">The variable is not set.</exception>
    public string? ContentOf(string section, string key)
    {
        if ((Tree[section] as MapNode)?[key] is not MapNode resource)
            return null;
        if (resource["content"] is ScalarNode { IsNull: false } content)
            return content.Value;
        if (resource["environment"]?.ToString() is not { } variable)
            return null;
        return Environment(variable) ?? throw new ComposeException(
            $"environment variable \"{variable}\" required by {section[..^1]} \"{resource["name"]}\" is not set");
    }

    /// <summary>What <c>docker compose config</c> prints.</summary>
    public string ToYaml() => YamlWriter.Write(ComposeOrder.Apply(Tree));

    /// <summary>What <c>docker compose config --format json</c> prints.</summary>
    public string ToJson() => YamlWriter.IndentedJson(ComposeOrder.ApplyForJson(Tree));

    private static IEnumerable<KeyValuePair<string, MapNode>> Resources(Node? section) =>
        (section as MapNode)?.Entries.Select(e => KeyValuePair.Create(e.Key, (MapNode)e.Value)) ?? [];
}

/// <summary>A top-level network: its engine name, driver, whether it is external, its labels and IPAM.</summary>
public sealed class NetworkConfig(string key, MapNode node)
{
    public string Key { get; } = key;
    public MapNode Node { get; } = node;
    public string Name => Node["name"]!.ToString();
    public string? Driver => Node["driver"]?.ToString();
    public bool External => Node["external"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public bool Internal => Node["internal"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public bool Attachable => Node["attachable"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public bool EnableIpv6 => Node["enable_ipv6"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public IReadOnlyDictionary<string, string> Labels => ServiceConfig.StringMap(Node["labels"]);
    public IReadOnlyDictionary<string, string> DriverOptions => ServiceConfig.StringMap(Node["driver_opts"]);

    /// <summary><c>ipam.config</c>: subnet, ip_range, gateway of each pool.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> IpamPools =>
        ((Node["ipam"] as MapNode)?["config"] as SeqNode)?.Items.Select(i => ServiceConfig.StringMap(i)).ToList() ?? [];
}

/// <summary>A top-level volume: its engine name, driver and options, whether it is external.</summary>
public sealed class VolumeConfig(string key, MapNode node)
{
    public string Key { get; } = key;
    public MapNode Node { get; } = node;
    public string Name => Node["name"]!.ToString();
    public string? Driver => Node["driver"]?.ToString();
    public bool External => Node["external"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public IReadOnlyDictionary<string, string> Labels => ServiceConfig.StringMap(Node["labels"]);
    public IReadOnlyDictionary<string, string> DriverOptions => ServiceConfig.StringMap(Node["driver_opts"]);
}
