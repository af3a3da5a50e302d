using Berth.Cli.Commands.Compose;
using Berth.Compose.Loading;

namespace Berth.Cli.Tests.Commands.Compose;

public sealed class ContainerSpecTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-compose-spec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Berth.Compose.Model.ComposeProject Load(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "compose.yaml"), yaml);
        return ProjectLoader.Load(new LoadOptions { ProjectName = "app", Environment = _ => null, WorkingDirectory = _directory });
    }

    [Fact]
    public void A_service_container_carries_compose_v2s_labels_networks_and_settings()
    {
        var project = Load("""
            services:
              web:
                image: busybox
                command: httpd -f
                environment: [A=1]
                ports: ["127.0.0.1:8080:80"]
                volumes: ["./html:/www:ro", "data:/data"]
                networks:
                  front: {aliases: [www]}
                  back: {}
                depends_on: [db]
                restart: on-failure:3
                extra_hosts: ["host.local=10.0.0.1"]
              db:
                image: busybox
                networks: [back]
            networks:
              front: {}
              back: {}
            volumes:
              data: {}
            """);
        var web = project.Service("web")!;
        var request = ContainerSpec.Build(project, web, "app-web-1", 1, oneoff: false);

        Assert.Equal("busybox", request.Image);
        Assert.Equal(["httpd", "-f"], request.Cmd);
        Assert.Equal(["A=1"], request.Env);
        Assert.Equal("app", request.Labels!["com.docker.compose.project"]);
        Assert.Equal("web", request.Labels["com.docker.compose.service"]);
        Assert.Equal("1", request.Labels["com.docker.compose.container-number"]);
        Assert.Equal("False", request.Labels["com.docker.compose.oneoff"]);
        Assert.Equal(web.ConfigHash(), request.Labels["com.docker.compose.config-hash"]);
        Assert.Equal(_directory, request.Labels["com.docker.compose.project.working_dir"]);
        Assert.Equal(Path.Combine(_directory, "compose.yaml"), request.Labels["com.docker.compose.project.config_files"]);
        Assert.Equal("db:service_started:false", request.Labels["com.docker.compose.depends_on"]);
        Assert.Equal([$"{_directory}/html:/www:ro"], request.HostConfig!.Binds);
        Assert.Equal("app_data", request.HostConfig.Mounts!.Single().Source);
        Assert.Equal("127.0.0.1", request.HostConfig.PortBindings!["80/tcp"]!.Single().HostIp);
        Assert.Equal("8080", request.HostConfig.PortBindings["80/tcp"]!.Single().HostPort);
        Assert.Equal(("on-failure", 3), (request.HostConfig.RestartPolicy.Name, request.HostConfig.RestartPolicy.MaximumRetryCount));
        Assert.Equal(["host.local:10.0.0.1"], request.HostConfig.ExtraHosts);
        // The first network by name is joined at create, with the container and service names as aliases.
        Assert.Equal("app_back", request.HostConfig.NetworkMode);
        Assert.Equal(["app-web-1", "web"], request.NetworkingConfig!.EndpointsConfig!["app_back"]!.Aliases);
    }

    [Fact]
    public void Mac_addresses_go_to_the_endpoints_and_gpus_become_device_requests_as_compose_v2_sends_them()
    {
        var project = Load("""
            services:
              gpu:
                image: busybox
                mac_address: "02:42:ac:11:00:99"
                gpus: all
                networks:
                  front: {mac_address: "02:42:ac:11:00:98"}
                  back: {}
              picky:
                image: busybox
                gpus: [{driver: nvidia, device_ids: ["0"], capabilities: [compute]}]
            networks:
              front: {}
              back: {}
            """);
        var gpu = project.Service("gpu")!;
        var request = ContainerSpec.Build(project, gpu, "app-gpu-1", 1, oneoff: false);
        // The service's own goes to the network joined at create (the first by name), a network's own to that one.
        Assert.Equal("02:42:ac:11:00:99", request.NetworkingConfig!.EndpointsConfig!["app_back"]!.MacAddress);
        Assert.Equal("02:42:ac:11:00:98", ContainerSpec.Endpoint(gpu, gpu.Networks.Single(n => n.Key == "front"), "app-gpu-1").MacAddress);
        var all = Assert.Single(request.HostConfig!.DeviceRequests!);
        Assert.Equal((-1, "gpu"), (all.Count, all.Capabilities!.Single().Single()));
        var picky = Assert.Single(ContainerSpec.Build(project, project.Service("picky")!, "app-picky-1", 1, oneoff: false).HostConfig!.DeviceRequests!);
        Assert.Equal(("nvidia", "0", "compute gpu"), (picky.Driver, picky.DeviceIDs!.Single(), string.Join(' ', picky.Capabilities!.Single())));
    }

    [Fact]
    public void File_secrets_and_configs_are_read_only_binds_where_compose_mounts_them()
    {
        var project = Load("""
            services:
              app:
                image: busybox
                secrets: [token, {source: key, target: api.key}]
                configs: [{source: settings, target: /etc/app.conf}, plain]
            secrets:
              token: {file: ./token.txt}
              key: {file: /keys/api}
            configs:
              settings: {file: app.conf}
              plain: {file: plain.txt}
            """);
        var request = ContainerSpec.Build(project, project.Service("app")!, "app-app-1", 1, oneoff: false);
        Assert.Equal([$"{_directory}/token.txt:/run/secrets/token:ro", "/keys/api:/run/secrets/api.key:ro",
            $"{_directory}/app.conf:/etc/app.conf:ro", $"{_directory}/plain.txt:/plain:ro"], request.HostConfig!.Binds);
    }

    [Fact]
    public void Resources_devices_ulimits_and_logging_are_mapped_as_compose_v2_maps_them()
    {
        File.WriteAllText(Path.Combine(_directory, "seccomp.json"), "{ \"defaultAction\": \"SCMP_ACT_ALLOW\" }");
        var project = Load("""
            services:
              app:
                image: busybox
                mem_reservation: 64m
                memswap_limit: 512m
                cpu_quota: 50000
                cpu_period: 100000
                cpuset: "0-1"
                oom_score_adj: 100
                devices: ["/dev/fuse"]
                ulimits: {nofile: {soft: 1024, hard: 2048}}
                logging: {driver: json-file, options: {max-size: 1m}}
                security_opt: ["seccomp=seccomp.json", "systempaths=unconfined", "no-new-privileges"]
                deploy:
                  restart_policy: {condition: any}
                  resources: {limits: {memory: 128m, cpus: "1.5"}}
            """);
        var host = ContainerSpec.Build(project, project.Service("app")!, "app-app-1", 1, oneoff: false).HostConfig!;
        Assert.Equal((128L << 20, 64L << 20, 512L << 20, 1_500_000_000L), (host.Memory, host.MemoryReservation, host.MemorySwap, host.NanoCpus));
        Assert.Equal((50000L, 100000L, "0-1", 100), (host.CpuQuota, host.CpuPeriod, host.CpusetCpus, host.OomScoreAdj));
        var device = Assert.Single(host.Devices!);
        Assert.Equal(("/dev/fuse", "/dev/fuse", "rwm"), (device.PathOnHost, device.PathInContainer, device.CgroupPermissions));
        var ulimit = Assert.Single(host.Ulimits!);
        Assert.Equal(("nofile", 1024L, 2048L), (ulimit.Name, ulimit.Soft, ulimit.Hard));
        Assert.Equal(("json-file", "1m"), (host.LogConfig.Type, host.LogConfig.Config!["max-size"]));
        Assert.Equal(["seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "no-new-privileges"], host.SecurityOpt);
        Assert.Equal((0, 0), (host.MaskedPaths!.Count, host.ReadonlyPaths!.Count));
        Assert.Equal("always", host.RestartPolicy.Name);
    }

    [Fact]
    public void A_missing_seccomp_profile_is_refused_before_create()
    {
        var project = Load("services:\n  app: {image: busybox, security_opt: [\"seccomp=nope.json\"]}\n");
        var e = Assert.Throws<Berth.Compose.ComposeException>(() => ContainerSpec.Build(project, project.Service("app")!, "app-app-1", 1, oneoff: false));
        Assert.Equal($"opening seccomp profile (nope.json) failed: open {_directory}/nope.json: no such file or directory", e.Message);
    }

    [Fact]
    public void Environment_and_content_secrets_are_written_where_compose_writes_them()
    {
        File.WriteAllText(Path.Combine(_directory, ".env"), "TOKEN=t0k3n\n");
        var project = Load("""
            services:
              app:
                image: busybox
                secrets: [token, {source: token, target: relative}, {source: token, target: /abs/token, mode: 0400}]
                configs: [motd, {source: motd, target: etc/motd}]
              locked: {image: busybox, read_only: true, configs: [motd]}
            secrets:
              token: {environment: TOKEN}
            configs:
              motd: {content: hello}
            """);
        var files = FileInjection.Files(project, project.Service("app")!);
        Assert.Equal(["/run/secrets/token", "/run/secrets/relative", "/abs/token", "/motd", "etc/motd"], files.Select(f => f.Target));
        Assert.Equal(["t0k3n", "t0k3n", "t0k3n", "hello", "hello"], files.Select(f => f.Content));
        Assert.Equal(0x100, files[2].Reference.Mode);
        var e = Assert.Throws<Berth.Compose.ComposeException>(() => FileInjection.Files(project, project.Service("locked")!));
        Assert.Equal("cannot create config \"motd\" in read-only service locked: `file` is the sole supported option", e.Message);
    }
}
