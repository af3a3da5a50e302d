namespace Berth.Compose.Tests;

public sealed class ResourceSyntaxTests
{
    [Fact]
    public void Resource_keys_take_compose_v2s_canonical_form()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            services:
              app:
                image: busybox
                mem_limit: 1g
                memswap_limit: -1
                shm_size: 64M
                cpus: 0.5
                cpu_shares: 512
                devices: ["/dev/fuse", "/dev/sda:/dev/xvda:r"]
                ulimits:
                  nproc: 65535
                  nofile: {soft: 1024, hard: 2048}
                logging:
                  driver: json-file
                  options: {max-size: 10m, max-file: 3}
                blkio_config:
                  weight: 300
                  device_read_bps: [{path: /dev/sda, rate: 1mb}]
            """);
        var yaml = dir.Load().ToYaml();
        Assert.Contains("mem_limit: \"1073741824\"", yaml);
        Assert.Contains("memswap_limit: \"-1\"", yaml);
        Assert.Contains("shm_size: \"67108864\"", yaml);
        Assert.Contains("cpus: 0.5", yaml);
        Assert.Contains("source: /dev/sda\n        target: /dev/xvda\n        permissions: r", yaml);
        Assert.Contains("source: /dev/fuse\n        target: /dev/fuse\n        permissions: rwm", yaml);
        Assert.Contains("rate: 1048576", yaml);

        var resources = dir.Load().Service("app")!.Resources;
        Assert.Equal((1L << 30, -1L, 64L << 20, 500_000_000L, 512L), (resources.Memory, resources.MemorySwap, resources.ShmSize, resources.NanoCpus, resources.CpuShares));
        Assert.Equal([("nproc", 65535L, 65535L), ("nofile", 1024L, 2048L)], resources.Ulimits);
        Assert.Equal(("json-file", "10m", "3"), (resources.LogDriver, resources.LogOptions["max-size"], resources.LogOptions["max-file"]));
        Assert.Equal([("/dev/sda", 1L << 20)], resources.BlkioDevices("device_read_bps"));
    }

    [Fact]
    public void Deploy_limits_win_over_the_service_keys()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            services:
              app:
                image: busybox
                mem_limit: 1g
                cpus: 2
                pids_limit: 10
                deploy:
                  resources:
                    limits: {memory: 256m, cpus: "0.25", pids: 50}
                    reservations: {memory: 128m}
            """);
        var resources = dir.Load().Service("app")!.Resources;
        Assert.Equal((256L << 20, 128L << 20, 250_000_000L, (long?)50), (resources.Memory, resources.MemoryReservation, resources.NanoCpus, resources.PidsLimit));
    }

    [Fact]
    public void An_override_file_merges_devices_by_target_and_replaces_a_logging_driver()
    {
        using var dir = new ProjectDirectory()
            .Write("compose.yaml", """
                services:
                  app:
                    image: busybox
                    devices: ["/dev/sda:/dev/xvda"]
                    ulimits: {nofile: {soft: 1, hard: 2}}
                    logging: {driver: syslog, options: {tag: app}}
                """)
            .Write("override.yaml", """
                services:
                  app:
                    devices: ["/dev/sdb:/dev/xvda"]
                    ulimits: {nofile: 5}
                    logging: {driver: json-file, options: {max-size: 1m}}
                """);
        var resources = dir.Load("compose.yaml", "override.yaml").Service("app")!.Resources;
        Assert.Equal([("/dev/sdb", "/dev/xvda", "rwm")], resources.Devices);
        Assert.Equal([("nofile", 5L, 5L)], resources.Ulimits);
        Assert.Equal("json-file", resources.LogDriver);
        Assert.Equal(["max-size"], resources.LogOptions.Keys);
    }

    [Theory]
    [InlineData("mem_limit: lots", "services.app.mem_limit: invalid size: 'lots'")]
    [InlineData("cpus: half", "services.app.cpus: must be a number: half")]
    [InlineData("cpu_shares: many", "services.app.cpu_shares: must be a number")]
    [InlineData("ulimits: {nofile: {soft: 1}}", "services.app.ulimits.nofile: hard is required")]
    [InlineData("ulimits: {nofile: x}", "services.app.ulimits.nofile: must be a number")]
    [InlineData("devices: [\"a:b:c:d\"]", "services.app.devices.0: confusing device mapping, please use long syntax: a:b:c:d")]
    [InlineData("logging: {driver: syslog, opts: {}}", "services.app.logging: additional properties 'opts' not allowed")]
    [InlineData("deploy: {resources: {limits: {memory: x}}}", "services.app.deploy.resources.limits.memory: invalid size: 'x'")]
    public void Bad_resource_values_are_refused_with_their_path(string key, string expected)
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", $"services:\n  app:\n    image: busybox\n    {key}\n");
        Assert.EndsWith(expected, Assert.Throws<ComposeException>(() => dir.Load()).Message);
    }
}
