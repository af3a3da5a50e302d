namespace Berth.Compose.Yaml;

/// <summary>
/// The order compose v2's <c>config</c> prints keys in: the fields of compose-go's types in their declared order
/// (a service starts with <c>profiles</c>, a port with <c>mode</c>), mappings of names (services, environment,
/// labels) sorted, extensions (<c>x-</c>) after the known fields. Applied to a copy when printing only: the
/// project's tree stays sorted, so that configuration hashes do not move with this table.
/// </summary>
public static class ComposeOrder
{
    private sealed record Shape(string[]? Keys = null, Dictionary<string, Shape>? Fields = null, Shape? Each = null);

    private static Shape Each(Shape item) => new(Each: item);

    private static readonly Shape FileReference = new(["source", "target", "uid", "gid", "mode"]);

    private static readonly Shape Service = new(
        ["profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add", "cap_drop", "cgroup_parent", "cgroup", "cpu_count",
            "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset", "cpu_shares", "command", "configs",
            "container_name", "credential_spec", "depends_on", "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search",
            "dockerfile", "domainname", "entrypoint", "provider", "environment", "env_file", "expose", "extends", "external_links", "extra_hosts",
            "group_add", "gpus", "hostname", "healthcheck", "image", "init", "ipc", "isolation", "labels", "label_file", "links", "logging",
            "mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "mac_address", "models", "network_mode", "networks",
            "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "pull_policy", "read_only", "restart",
            "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls",
            "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes", "volumes_from", "working_dir",
            "pre_start", "post_start", "pre_stop"],
        new()
        {
            ["build"] = new(["context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom", "ssh", "labels", "cache_from",
                "cache_to", "no_cache", "no_cache_filter", "additional_contexts", "pull", "extra_hosts", "isolation", "network", "target", "secrets",
                "shm_size", "tags", "ulimits", "platforms", "privileged"]),
            ["blkio_config"] = new(["weight", "weight_device", "device_read_bps", "device_read_iops", "device_write_bps", "device_write_iops"]),
            ["ports"] = Each(new(["name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"])),
            ["volumes"] = Each(new(["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"], new()
            {
                ["bind"] = new(["selinux", "propagation", "create_host_path", "recursive"]),
                ["volume"] = new(["labels", "nocopy", "subpath"]),
                ["tmpfs"] = new(["size", "mode"]),
            })),
            ["depends_on"] = Each(new(["condition", "restart", "required"])),
            ["healthcheck"] = new(["test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"]),
            ["networks"] = Each(new(["aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address", "ipv6_address", "link_local_ips",
                "mac_address", "priority"])),
            ["secrets"] = Each(FileReference),
            ["configs"] = Each(FileReference),
            ["logging"] = new(["driver", "options"]),
            ["devices"] = Each(new(["source", "target", "permissions"])),
            ["ulimits"] = Each(new(["single", "soft", "hard"])),
            ["deploy"] = new(["mode", "replicas", "labels", "update_config", "rollback_config", "resources", "restart_policy", "placement",
                "endpoint_mode"], new()
            {
                ["resources"] = new(["limits", "reservations"], new()
                {
                    ["limits"] = new(["cpus", "memory", "pids", "devices", "generic_resources"]),
                    ["reservations"] = new(["cpus", "memory", "pids", "devices", "generic_resources"]),
                }),
                ["restart_policy"] = new(["condition", "delay", "max_attempts", "window"]),
            }),
        });

    private static readonly Shape FileObject = new(["name", "file", "environment", "content", "external", "labels", "driver", "driver_opts", "template_driver"]);

    private static readonly Shape Project = new(["name", "services", "networks", "volumes", "secrets", "configs", "models"], new()
    {
        ["services"] = Each(Service),
        ["networks"] = Each(new(["name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels", "enable_ipv4", "enable_ipv6"],
            new() { ["ipam"] = new(["driver", "config", "options"], new() { ["config"] = Each(new(["subnet", "gateway", "ip_range", "aux_addresses"])) }) })),
        ["volumes"] = Each(new(["name", "driver", "driver_opts", "external", "labels"])),
        ["secrets"] = Each(FileObject),
        ["configs"] = Each(FileObject),
    });

    /// <summary>A copy of a project's tree in compose v2's order.</summary>
    public static MapNode Apply(MapNode project) => (MapNode)Order(project, Project);

    /// <summary>The same order with the top level's keys sorted, as Go's JSON encoding of compose's project map has them.</summary>
    public static MapNode ApplyForJson(MapNode project)
    {
        var ordered = Apply(project);
        var sorted = new MapNode();
        foreach (var (key, value) in ordered.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            sorted.Set(key, value);
        return sorted;
    }

    private static Node Order(Node node, Shape? shape)
    {
        switch (node)
        {
            case MapNode map when shape?.Keys is { } keys:
                var ordered = new MapNode();
                foreach (var key in keys.Where(map.Entries.ContainsKey))
                    ordered.Set(key, Order(map[key]!, shape.Fields?.GetValueOrDefault(key)));
                foreach (var (key, value) in map.Entries.Where(e => !keys.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
                    ordered.Set(key, value.Clone());
                return ordered;
            case MapNode map:
                var each = new MapNode();
                foreach (var (key, value) in map.Entries)
                    each.Set(key, Order(value, shape?.Each));
                return each;
            case SeqNode seq:
                return new SeqNode(seq.Items.Select(i => Order(i, shape?.Each)));
            default:
                return node.Clone();
        }
    }
}
