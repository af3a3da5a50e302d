using System.Globalization;
using Berth.Compose.Yaml;

namespace Berth.Compose.Model;

/// <summary>
/// A service's resource keys as compose v2 gives them to the engine: <c>deploy.resources.limits</c> wins over
/// <c>mem_limit</c>, <c>cpus</c> and <c>pids_limit</c>, <c>reservations.memory</c> over <c>mem_reservation</c>.
/// Sizes are byte counts already (the loader's canonical form); zero or null means "not set".
/// </summary>
public sealed class ResourceConfig(MapNode node)
{
    private MapNode? Limits => Resources?["limits"] as MapNode;
    private MapNode? Reservations => Resources?["reservations"] as MapNode;
    private MapNode? Resources => (node["deploy"] as MapNode)?["resources"] as MapNode;

    public long Memory => Long(Limits?["memory"]) is > 0 and var m ? m : Long(node["mem_limit"]);
    public long MemoryReservation => Long(Reservations?["memory"]) is > 0 and var m ? m : Long(node["mem_reservation"]);
    public long MemorySwap => Long(node["memswap_limit"]);
    public long? MemorySwappiness => node["mem_swappiness"] is ScalarNode s ? Long(s) : null;
    public long ShmSize => Long(node["shm_size"]);
    public bool OomKillDisable => node["oom_kill_disable"] is ScalarNode s && NodeAccess.BoolValue(s.Value) == true;
    public int OomScoreAdj => (int)Long(node["oom_score_adj"]);

    /// <summary>CPUs in billionths, as <c>NanoCpus</c>.</summary>
    public long NanoCpus => (long)((Decimal(Limits?["cpus"]) is > 0 and var c ? c : Decimal(node["cpus"])) * 1_000_000_000m);
    public long CpuShares => Long(node["cpu_shares"]);
    public long CpuQuota => Long(node["cpu_quota"]);
    public long CpuPeriod => Long(node["cpu_period"]);
    public long CpuCount => Long(node["cpu_count"]);
    public long CpuPercent => (long)(Decimal(node["cpu_percent"]) * 100);
    public long CpuRealtimePeriod => Long(node["cpu_rt_period"]);
    public long CpuRealtimeRuntime => Long(node["cpu_rt_runtime"]);
    public string Cpuset => node["cpuset"]?.ToString() ?? "";

    /// <summary>Null when unset (the engine's default), as compose sends it only when non-zero.</summary>
    public long? PidsLimit => Long(Limits?["pids"]) is > 0 and var p ? p : Long(node["pids_limit"]) is not 0 and var l ? l : null;

    public IReadOnlyList<(string Source, string Target, string Permissions)> Devices =>
        Maps(node["devices"]).Select(d => (Text(d, "source"), Text(d, "target"), Text(d, "permissions"))).ToList();

    /// <summary><c>deploy.resources.reservations.devices</c> (GPUs and other device requests).</summary>
    public IReadOnlyList<MapNode> DeviceReservations => Maps(Reservations?["devices"]).ToList();

    /// <summary><c>gpus</c>: <c>all</c> (every GPU, as a request of count -1) or a list of requests shaped as a reservation's devices.</summary>
    public IReadOnlyList<MapNode> Gpus => node["gpus"] is ScalarNode { Value: "all" } ? [AllGpus()] : Maps(node["gpus"]).ToList();

    private static MapNode AllGpus()
    {
        var all = new MapNode();
        all.Entries.Add("count", new ScalarNode("-1"));
        return all;
    }

    /// <summary>Each ulimit with soft and hard values; a single number is both.</summary>
    public IReadOnlyList<(string Name, long Soft, long Hard)> Ulimits =>
        (node["ulimits"] as MapNode)?.Entries.Select(e => e.Value is MapNode pair
            ? (e.Key, Long(pair["soft"]), Long(pair["hard"]))
            : (e.Key, Long(e.Value), Long(e.Value))).ToList() ?? [];

    public string? LogDriver => (node["logging"] as MapNode)?["driver"]?.ToString();
    public IReadOnlyDictionary<string, string> LogOptions => ServiceConfig.StringMap((node["logging"] as MapNode)?["options"]);

    private MapNode? Blkio => node["blkio_config"] as MapNode;
    public ushort BlkioWeight => (ushort)Long(Blkio?["weight"]);

    /// <summary>One of <c>blkio_config</c>'s per-device lists: <c>weight_device</c> pairs a path with a weight, the others with a rate.</summary>
    public IReadOnlyList<(string Path, long Value)> BlkioDevices(string list) =>
        Maps(Blkio?[list]).Select(d => (Text(d, "path"), Long(d["weight"] ?? d["rate"]))).ToList();

    private static IEnumerable<MapNode> Maps(Node? list) => (list as SeqNode)?.Items.OfType<MapNode>() ?? [];

    private static string Text(MapNode map, string key) => map[key]?.ToString() ?? "";

    private static long Long(Node? value) =>
        value is ScalarNode { IsNull: false } s && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static decimal Decimal(Node? value) =>
        value is ScalarNode { IsNull: false } s && decimal.TryParse(s.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : 0;
}
