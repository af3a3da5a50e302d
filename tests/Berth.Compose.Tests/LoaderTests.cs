using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

public sealed class LoaderTests
{
    [Fact]
    public void Anchors_merge_keys_and_extensions()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            x-common: &common
              image: busybox
              environment:
                LEVEL: base
              restart: always
            services:
              a:
                <<: *common
                restart: "no"
              b:
                <<: [*common]
                command: echo hi
            """);
        var project = dir.Load();
        var a = project.Service("a")!;
        Assert.Equal("busybox", a.Image);
        Assert.Equal("no", a.Restart);
        Assert.Equal("base", a.Environment["LEVEL"]);
        Assert.Equal(["echo", "hi"], project.Service("b")!.Command);
        Assert.Equal("always", project.Service("b")!.Restart);
        Assert.Contains("x-common:", project.ToYaml());
    }

    [Fact]
    public void Dot_env_and_the_process_environment_are_substituted_the_process_winning()
    {
        using var dir = new ProjectDirectory()
            .Write(".env", "TAG=1.0\nPORT=8080\n")
            .Write("compose.yaml", """
                services:
                  web:
                    image: "busybox:${TAG}"
                    ports: ["${PORT}:80"]
                    environment: ["COST=$$5"]
                """);
        dir.Environment["TAG"] = "2.0";
        var web = dir.Load().Service("web")!;
        Assert.Equal("busybox:2.0", web.Image);
        Assert.Equal("8080", web.Ports.Single().Published);
        Assert.Equal("$5", web.Environment["COST"]);
    }

    [Fact]
    public void Short_and_long_syntaxes_become_one_form()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            services:
              web:
                image: busybox
                ports:
                  - "127.0.0.1:8080:80/udp"
                  - "3000-3001:4000-4001"
                  - 9000
                  - target: 443
                    published: 8443
                volumes:
                  - ./html:/www:ro
                  - data:/data
                  - /scratch
                  - type: tmpfs
                    target: /tmp
                environment:
                  A: 1
                  B:
                env_file: web.env
                depends_on: [db]
              db:
                image: busybox
                depends_on:
                  init:
                    condition: service_completed_successfully
              init:
                image: busybox
            volumes:
              data:
            """).Write("web.env", "FROM_FILE=yes\nA=overridden-by-environment\n");
        var project = dir.Load();
        var web = project.Service("web")!;
        Assert.Equal(["127.0.0.1 8080 80 udp", " 3000 4000 tcp", " 3001 4001 tcp", "  9000 tcp", " 8443 443 tcp"],
            web.Ports.Select(p => $"{p.HostIp} {p.Published} {p.Target} {p.Protocol}"));
        Assert.Equal([$"bind {dir.Root}/html /www True", "volume data /data False", "volume  /scratch False", "tmpfs  /tmp False"],
            web.Volumes.Select(v => $"{v.Type} {v.Source} {v.Target} {v.ReadOnly}"));
        Assert.Equal("1", web.Environment["A"]);
        Assert.Null(web.Environment["B"]);
        Assert.Equal("yes", web.Environment["FROM_FILE"]);
        Assert.Equal(Dependency.Started, web.DependsOn.Single().Condition);
        Assert.Equal(Dependency.CompletedSuccessfully, project.Service("db")!.DependsOn.Single().Condition);
        Assert.Equal("myapp_data", project.Volumes.Single().Name);
        Assert.Equal("myapp_default", project.Networks.Single().Name);
        Assert.Equal(["default"], web.Networks.Select(n => n.Key));
    }

    [Fact]
    public void Override_files_merge_by_compose_rules()
    {
        using var dir = new ProjectDirectory()
            .Write("compose.yaml", """
                services:
                  web:
                    image: busybox
                    command: ["sleep", "1"]
                    environment: [A=1, B=1]
                    ports: ["80:80"]
                    volumes: ["./a:/data", "./b:/keep"]
                    dns: [1.1.1.1]
                """)
            .Write("override.yaml", """
                services:
                  web:
                    command: sleep 2
                    environment: {B: 2, C: 3}
                    ports: ["80:80", "81:81"]
                    volumes: ["./c:/data"]
                    dns: 1.1.1.1
                  extra:
                    image: busybox
                """);
        var project = dir.Load("compose.yaml", "override.yaml");
        var web = project.Service("web")!;
        Assert.Equal(["sleep", "2"], web.Command);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "2", ["C"] = "3" }, web.Environment);
        Assert.Equal(["80", "81"], web.Ports.Select(p => p.Published));
        Assert.Equal([$"{dir.Root}/c:/data", $"{dir.Root}/b:/keep"], web.Volumes.Select(v => $"{v.Source}:{v.Target}"));
        Assert.Equal(["1.1.1.1"], web.Dns);
        Assert.Equal(["extra", "web"], project.Services.Select(s => s.Name));
        Assert.Equal([Path.Combine(dir.Root, "compose.yaml"), Path.Combine(dir.Root, "override.yaml")], project.ConfigFiles);
    }

    [Fact]
    public void Include_brings_another_projects_services_relative_to_its_directory()
    {
        using var dir = new ProjectDirectory()
            .Write("compose.yaml", "include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: busybox\n    depends_on: [db]\n")
            .Write("sub/compose.yaml", "services:\n  db:\n    image: busybox\n    volumes: [./data:/data]\n");
        var project = dir.Load();
        Assert.Equal(["db", "web"], project.Services.Select(s => s.Name));
        Assert.Equal($"{dir.Root}/sub/data", project.Service("db")!.Volumes.Single().Source);
    }

    [Fact]
    public void Profiles_enable_services_by_flag_by_environment_or_by_name()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            services:
              web: {image: busybox}
              debug: {image: busybox, profiles: [debug]}
              tools: {image: busybox, profiles: [tools]}
            """);
        Assert.Equal(["web"], dir.Load().Services.Select(s => s.Name));
        var options = new LoadOptions { Profiles = ["debug"], Environment = _ => null, WorkingDirectory = dir.Root };
        Assert.Equal(["debug", "web"], dir.Load(options).Services.Select(s => s.Name));
        Assert.Equal(["tools", "web"], dir.Load(options with { Profiles = [], Services = ["tools"] }).Services.Select(s => s.Name));
        dir.Environment["COMPOSE_PROFILES"] = "debug,tools";
        Assert.Equal(3, dir.Load().Services.Count);
    }

    [Theory]
    [InlineData(null, null, null, "myapp")]
    [InlineData("flag", "env", "top", "flag")]
    [InlineData(null, "env", "top", "env")]
    [InlineData(null, null, "top", "top")]
    public void The_project_name_comes_from_the_flag_the_environment_the_file_or_the_directory(string? flag, string? env, string? top, string expected)
    {
        using var dir = new ProjectDirectory("My.App").Write("compose.yaml", (top is null ? "" : $"name: {top}\n") + "services:\n  web: {image: busybox}\n");
        if (env is not null)
            dir.Environment["COMPOSE_PROJECT_NAME"] = env;
        var project = dir.Load(new LoadOptions { ProjectName = flag, Environment = _ => null, WorkingDirectory = dir.Root });
        Assert.Equal(expected, project.Name);
    }

    [Fact]
    public void A_project_name_given_by_the_user_must_be_valid()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", "services:\n  web: {image: busybox}\n");
        var e = Assert.Throws<ComposeException>(() => dir.Load(new LoadOptions { ProjectName = "Bad!", Environment = _ => null, WorkingDirectory = dir.Root }));
        Assert.StartsWith("invalid project name \"Bad!\"", e.Message);
    }

    [Fact]
    public void Compose_file_from_the_environment_is_used_when_no_flag_names_files()
    {
        using var dir = new ProjectDirectory().Write("a.yaml", "services:\n  a: {image: busybox}\n").Write("b.yaml", "services:\n  b: {image: busybox}\n");
        dir.Environment["COMPOSE_FILE"] = "a.yaml:b.yaml";
        Assert.Equal(["a", "b"], dir.Load().Services.Select(s => s.Name));
    }

    [Fact]
    public void The_config_hash_changes_with_the_container_config_only()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", "services:\n  web: {image: busybox, scale: 1}\n");
        var before = dir.Load().Service("web")!.ConfigHash();
        dir.Write("compose.yaml", "services:\n  web: {image: busybox, scale: 3}\n");
        Assert.Equal(before, dir.Load().Service("web")!.ConfigHash());
        dir.Write("compose.yaml", "services:\n  web: {image: busybox, command: [true]}\n");
        Assert.NotEqual(before, dir.Load().Service("web")!.ConfigHash());
    }
}
