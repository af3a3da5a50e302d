using System.Globalization;
using Berth.Compose.Yaml;

namespace Berth.Compose.Model;

public sealed class BuildConfig(MapNode node)
{
    public string Context => node["context"]!.ToString();
    public string Dockerfile => node["dockerfile"]!.ToString();
    public string? Target => node["target"]?.ToString();
    public IReadOnlyDictionary<string, string> Args => ServiceConfig.StringMap(node["args"]);
    public IReadOnlyDictionary<string, string> Labels => ServiceConfig.StringMap(node["labels"]);
}

/// <summary>A port in long syntax; <see cref="Published"/> is a port or a range, empty for an ephemeral one.</summary>
public sealed class PortConfig(MapNode node)
{
    public int Target => int.Parse(node["target"]!.ToString(), CultureInfo.InvariantCulture);
    public string? Published => node["published"]?.ToString();
    public string Protocol => node["protocol"]?.ToString() ?? "tcp";
    public string? HostIp => node["host_ip"]?.ToString();
}

/// <summary>A mount in long syntax: <c>bind</c> (absolute source), <c>volume</c> (a project volume key, or none for an anonymous one), <c>tmpfs</c>.</summary>
public sealed class VolumeMount(MapNode node)
{
    public string Type => node["type"]!.ToString();
    public string? Source => node["source"]?.ToString();
    public string Target => node["target"]!.ToString();
    public bool ReadOnly => node["read_only"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public bool CreateHostPath => (node["bind"] as MapNode)?["create_host_path"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public string? Propagation => (node["bind"] as MapNode)?["propagation"]?.ToString();
    public bool NoCopy => (node["volume"] as MapNode)?["nocopy"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public string? TmpfsSize => (node["tmpfs"] as MapNode)?["size"]?.ToString();
}

/// <summary>A <c>depends_on</c> entry: the service and the condition to wait for.</summary>
public sealed class Dependency(string service, MapNode node)
{
    public const string Started = "service_started";
    public const string Healthy = "service_healthy";
    public const string CompletedSuccessfully = "service_completed_successfully";

    public string Service { get; } = service;
    public string Condition => node["condition"]?.ToString() ?? Started;
    public bool Restart => node["restart"]?.ToString() == "true";
}

/// <summary>A network a service joins, with its aliases and static addresses.</summary>
public sealed class ServiceNetwork(string key, MapNode? node)
{
    public string Key { get; } = key;
    public IReadOnlyList<string> Aliases => (node?["aliases"] as SeqNode)?.Items.Select(i => i.ToString()!).ToList() ?? [];
    public string? Ipv4Address => node?["ipv4_address"]?.ToString();
    public string? Ipv6Address => node?["ipv6_address"]?.ToString();
    public string? MacAddress => node?["mac_address"]?.ToString();
    public int? Priority => node?["priority"] is ScalarNode p ? int.Parse(p.Value, CultureInfo.InvariantCulture) : null;
}

/// <summary>A healthcheck: <see cref="Test"/> in docker's form (<c>CMD</c>, <c>CMD-SHELL</c>, <c>NONE</c>), durations as written.</summary>
public sealed class HealthcheckConfig(MapNode node)
{
    public IReadOnlyList<string>? Test => (node["test"] as SeqNode)?.Items.Select(i => i.ToString()!).ToList();
    public string? Interval => node["interval"]?.ToString();
    public string? Timeout => node["timeout"]?.ToString();
    public string? StartPeriod => node["start_period"]?.ToString();
    public string? StartInterval => node["start_interval"]?.ToString();
    public int? Retries => node["retries"] is ScalarNode r ? int.Parse(r.Value, CultureInfo.InvariantCulture) : null;
}

/// <summary>A service's <c>secrets</c> or <c>configs</c> entry: the project resource it names, and where it appears in the container.</summary>
public sealed class FileReference(MapNode node)
{
    public string Source => node["source"]!.ToString();
    public string? Target => node["target"]?.ToString();
    public string? Uid => node["uid"]?.ToString();
    public string? Gid => node["gid"]?.ToString();

    /// <summary>The file's mode, written in octal (<c>0440</c>) or decimal as YAML reads it; null for compose's default, 0444.</summary>
    public int? Mode => node["mode"] is ScalarNode m ? ParseMode(m.Value) : null;

    private static int ParseMode(string text) => text.StartsWith("0o", StringComparison.Ordinal) || text.Length > 1 && text[0] == '0'
        ? Convert.ToInt32(text.TrimStart('0', 'o'), 8)
        : int.Parse(text, CultureInfo.InvariantCulture);
}
