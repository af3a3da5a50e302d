using System.Globalization;
using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// The resource and runtime keys of a service to compose's canonical form, checked at load so that a bad value is
/// refused before anything is created: sizes as byte counts (compose v2's <c>config</c> prints <c>"1073741824"</c>
/// for <c>1g</c>), numbers checked, devices in long syntax, ulimits and logging as mappings.
/// </summary>
public static class ResourceSyntax
{
    private static readonly HashSet<string> SizeKeys = ["mem_limit", "mem_reservation", "memswap_limit", "shm_size"];
    private static readonly HashSet<string> IntegerKeys =
        ["cpu_shares", "cpu_quota", "cpu_period", "cpu_count", "cpu_rt_period", "cpu_rt_runtime", "oom_score_adj", "pids_limit", "mem_swappiness", "scale"];
    private static readonly HashSet<string> BooleanKeys = ["privileged", "read_only", "init", "tty", "stdin_open", "oom_kill_disable", "use_api_socket"];
    private static readonly HashSet<string> DecimalKeys = ["cpus", "cpu_percent"];

    /// <summary>The canonical value of <paramref name="key"/>, or null when the key is not one of these.</summary>
    public static Node? Normalize(string key, Node value, string file, string path) => key switch
    {
        _ when SizeKeys.Contains(key) => Size(value, file, path),
        _ when IntegerKeys.Contains(key) => ScalarNode.Number(value.AsLong(file, path)),
        _ when BooleanKeys.Contains(key) => ScalarNode.Bool(value.AsBool(file, path)),
        _ when DecimalKeys.Contains(key) => Decimal(value, file, path),
        "devices" => new SeqNode(value.AsSeq(file, path).Items.Select((d, n) => (Node)Device(d, file, $"{path}.{n}"))),
        "ulimits" => Ulimits(value.AsMap(file, path), file, path),
        "logging" => Logging(value.AsMap(file, path), file, path),
        "blkio_config" => Blkio(value.AsMap(file, path), file, path),
        "deploy" => Deploy(value.AsMap(file, path), file, path),
        _ => null,
    };

    /// <summary>go-units' <c>RAMInBytes</c> (binary multiples: <c>512m</c>, <c>1.5g</c>, <c>100kb</c>); <c>-1</c> stays (unlimited swap).</summary>
    public static long Bytes(string text, string file, string path)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var plain))
            return plain;
        var digits = text.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = text[digits..].Trim().ToLowerInvariant();
        var multiplier = unit.TrimEnd('b').TrimEnd('i') switch
        {
            "" => 1L,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => 0L,
        };
        if (digits == 0 || multiplier == 0 || unit.Length > 3
            || !double.TryParse(text[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw new ComposeException(file, path, $"invalid size: '{text}'");
        return (long)(number * multiplier);
    }

    private static ScalarNode Size(Node value, string file, string path) =>
        ScalarNode.String(Bytes(value.AsString(file, path), file, path).ToString(CultureInfo.InvariantCulture));

    private static ScalarNode Decimal(Node value, string file, string path)
    {
        var text = value.AsString(file, path);
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
            ? new ScalarNode(text)
            : throw new ComposeException(file, path, $"must be a number: {text}");
    }

    /// <summary><c>/dev/sda:/dev/xvda:rwm</c>, target defaulting to the source and permissions to <c>rwm</c>.</summary>
    private static MapNode Device(Node item, string file, string path)
    {
        if (item is MapNode map)
            return (MapNode)map.Clone();
        var text = item.AsString(file, path);
        var parts = text.Split(':');
        if (parts.Length > 3)
            throw new ComposeException(file, path, $"confusing device mapping, please use long syntax: {text}");
        var device = new MapNode();
        device.Set("source", ScalarNode.String(parts[0]));
        device.Set("target", ScalarNode.String(parts.Length > 1 && parts[1] != "" ? parts[1] : parts[0]));
        device.Set("permissions", ScalarNode.String(parts.Length > 2 ? parts[2] : "rwm"));
        return device;
    }

    /// <summary><c>nofile: 1024</c> (soft and hard) or <c>nofile: {soft: 1024, hard: 2048}</c>.</summary>
    private static MapNode Ulimits(MapNode source, string file, string path)
    {
        var ulimits = new MapNode();
        foreach (var (name, limit) in source.Entries)
        {
            var at = $"{path}.{name}";
            if (limit is not MapNode pair)
            {
                ulimits.Set(name, ScalarNode.Number(limit.AsLong(file, at)));
                continue;
            }
            var canonical = new MapNode();
            foreach (var bound in new[] { "soft", "hard" })
                canonical.Set(bound, ScalarNode.Number((pair[bound] ?? throw new ComposeException(file, at, $"{bound} is required")).AsLong(file, $"{at}.{bound}")));
            foreach (var key in pair.Entries.Keys.Where(k => k is not ("soft" or "hard") && !ServiceKeys.IsExtension(k)))
                throw new ComposeException(file, at, $"additional properties '{key}' not allowed");
            ulimits.Set(name, canonical);
        }
        return ulimits;
    }

    private static MapNode Logging(MapNode source, string file, string path)
    {
        var logging = new MapNode();
        foreach (var (key, item) in source.Entries)
            logging.Set(key, key switch
            {
                "driver" => ScalarNode.String(item.AsString(file, $"{path}.driver")),
                "options" => KeyValues.ToMap(item, file, $"{path}.options"),
                _ when ServiceKeys.IsExtension(key) => item,
                _ => throw new ComposeException(file, path, $"additional properties '{key}' not allowed"),
            });
        return logging;
    }

    /// <summary>Rates per device: <c>rate</c> is a size for the <c>_bps</c> lists, a count for <c>_iops</c>.</summary>
    private static MapNode Blkio(MapNode source, string file, string path)
    {
        var blkio = (MapNode)source.Clone();
        foreach (var (key, item) in source.Entries)
        {
            var at = $"{path}.{key}";
            if (key == "weight")
                blkio.Set(key, ScalarNode.Number(item.AsLong(file, at)));
            else if (key is "weight_device" or "device_read_bps" or "device_write_bps" or "device_read_iops" or "device_write_iops")
                blkio.Set(key, new SeqNode(item.AsSeq(file, at).Items.Select((d, n) => (Node)BlkioDevice(key, d.AsMap(file, $"{at}.{n}"), file, $"{at}.{n}"))));
            else if (!ServiceKeys.IsExtension(key))
                throw new ComposeException(file, path, $"additional properties '{key}' not allowed");
        }
        return blkio;
    }

    private static MapNode BlkioDevice(string list, MapNode source, string file, string path)
    {
        var device = new MapNode();
        device.Set("path", ScalarNode.String((source["path"] ?? throw new ComposeException(file, path, "path is required")).AsString(file, path + ".path")));
        var field = list == "weight_device" ? "weight" : "rate";
        var value = source[field] ?? throw new ComposeException(file, path, $"{field} is required");
        device.Set(field, list.EndsWith("_bps", StringComparison.Ordinal)
            ? ScalarNode.Number(Bytes(value.AsString(file, $"{path}.rate"), file, $"{path}.rate"))
            : ScalarNode.Number(value.AsLong(file, $"{path}.{field}")));
        return device;
    }

    /// <summary><c>deploy.resources</c>' memory as bytes and cpus checked; the rest of <c>deploy</c> as written.</summary>
    private static MapNode Deploy(MapNode source, string file, string path)
    {
        var deploy = (MapNode)source.Clone();
        if (deploy["replicas"] is { } replicas)
            deploy.Set("replicas", ScalarNode.Number(replicas.AsLong(file, path + ".replicas")));
        if (deploy["resources"] is not MapNode resources)
            return deploy;
        foreach (var kind in new[] { "limits", "reservations" })
        {
            if (resources[kind] is not MapNode resource)
                continue;
            var at = $"{path}.resources.{kind}";
            if (resource["memory"] is { } memory)
                resource.Set("memory", Size(memory, file, at + ".memory"));
            if (resource["cpus"] is { } cpus)
                resource.Set("cpus", Decimal(cpus, file, at + ".cpus"));
            if (resource["pids"] is { } pids)
                resource.Set("pids", ScalarNode.Number(pids.AsLong(file, at + ".pids")));
        }
        return deploy;
    }
}
