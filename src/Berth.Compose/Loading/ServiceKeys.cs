namespace Berth.Compose.Loading;

/// <summary>The keys the Compose Specification allows, where an unknown one is an error rather than ignored.</summary>
public static class ServiceKeys
{
    public static readonly HashSet<string> TopLevel =
        ["version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models"];

    public static readonly HashSet<string> Service =
    [
        "annotations", "attach", "build", "blkio_config", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs",
        "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
        "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
        "dns_search", "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts",
        "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "labels", "label_file", "links",
        "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode",
        "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
        "privileged", "profiles", "provider", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
        "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
        "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes", "volumes_from", "working_dir",
    ];

    /// <summary><c>x-</c> keys are extensions: allowed anywhere, kept, never interpreted.</summary>
    public static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);
}
