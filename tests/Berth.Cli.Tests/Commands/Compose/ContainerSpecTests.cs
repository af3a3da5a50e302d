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
}
