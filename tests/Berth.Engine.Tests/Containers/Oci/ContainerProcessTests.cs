using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Oci.Image;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>Entrypoint/Cmd, environment, working directory and hostname resolved as Docker resolves them.</summary>
public sealed class ContainerProcessTests
{
    private static readonly ImageRuntimeConfig Nginx = new()
    {
        Entrypoint = ["/docker-entrypoint.sh"], Cmd = ["nginx", "-g", "daemon off;"],
        Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/bin", "NGINX_VERSION=1.27"],
        WorkingDir = "/srv", User = "www-data",
    };

    private static ContainerConfig Config(IReadOnlyList<string>? entrypoint = null, IReadOnlyList<string>? cmd = null) =>
        new() { Image = "nginx", Entrypoint = entrypoint, Cmd = cmd };

    [Fact]
    public void Image_entrypoint_and_cmd_are_used_when_the_container_sets_neither() =>
        Assert.Equal(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], ContainerProcess.Args(Config(), Nginx));

    [Fact]
    public void A_container_cmd_replaces_the_image_cmd_behind_the_image_entrypoint() =>
        Assert.Equal(["/docker-entrypoint.sh", "sh"], ContainerProcess.Args(Config(cmd: ["sh"]), Nginx));

    [Fact]
    public void A_container_entrypoint_drops_the_image_cmd() =>
        Assert.Equal(["/bin/echo"], ContainerProcess.Args(Config(entrypoint: ["/bin/echo"]), Nginx));

    [Fact]
    public void A_container_entrypoint_keeps_a_container_cmd() =>
        Assert.Equal(["/bin/echo", "hi"], ContainerProcess.Args(Config(entrypoint: ["/bin/echo"], cmd: ["hi"]), Nginx));

    [Fact]
    public void An_empty_string_entrypoint_resets_it_and_drops_the_image_cmd()
    {
        Assert.Equal(["ls", "-l"], ContainerProcess.Args(Config(entrypoint: [""], cmd: ["ls", "-l"]), Nginx));
        var e = OciFixture.Invalid(() => ContainerProcess.Args(Config(entrypoint: [""]), Nginx));
        Assert.Equal("no command specified", e.Message);
    }

    [Fact]
    public void An_empty_entrypoint_list_takes_the_image_cmd_without_the_image_entrypoint() =>
        Assert.Equal(["nginx", "-g", "daemon off;"], ContainerProcess.Args(Config(entrypoint: []), Nginx));

    [Fact]
    public void Neither_entrypoint_nor_cmd_is_no_command_specified()
    {
        Assert.Equal("no command specified", OciFixture.Invalid(() => ContainerProcess.Args(Config(), null)).Message);
        Assert.Equal("no command specified", OciFixture.Invalid(() => ContainerProcess.Args(Config(), new ImageRuntimeConfig())).Message);
    }

    [Fact]
    public void Env_starts_with_path_and_hostname_and_the_image_path_replaces_the_default()
    {
        var env = ContainerProcess.Env(new ContainerConfig { Env = ["FOO=1", "NGINX_VERSION=2"] }, Nginx, "abc");
        Assert.Equal(
            ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/bin", "HOSTNAME=abc", "FOO=1", "NGINX_VERSION=2"],
            env);
    }

    [Fact]
    public void Env_has_the_default_path_and_term_with_a_tty()
    {
        var env = ContainerProcess.Env(new ContainerConfig { Tty = true, Env = ["A=b"] }, null, "h");
        Assert.Equal(["PATH=" + ContainerProcess.DefaultPath, "HOSTNAME=h", "TERM=xterm", "A=b"], env);
        Assert.Equal("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env[0]);
    }

    [Fact]
    public void Container_variables_come_before_the_image_ones_it_does_not_set()
    {
        var image = new ImageRuntimeConfig { Env = ["A=image", "B=image"] };
        Assert.Equal(["PATH=" + ContainerProcess.DefaultPath, "HOSTNAME=h", "B=mine", "A=image"],
            ContainerProcess.Env(new ContainerConfig { Env = ["B=mine"] }, image, "h"));
    }

    [Fact]
    public void Container_env_can_override_hostname_and_unset_a_default()
    {
        var env = ContainerProcess.Env(new ContainerConfig { Tty = true, Env = ["HOSTNAME=mine", "TERM"] }, null, "h");
        Assert.Equal(["PATH=" + ContainerProcess.DefaultPath, "HOSTNAME=mine"], env);
    }

    [Fact]
    public void Working_dir_is_the_containers_then_the_images_then_root()
    {
        Assert.Equal("/app", ContainerProcess.WorkingDir(new ContainerConfig { WorkingDir = "/app" }, Nginx));
        Assert.Equal("/srv", ContainerProcess.WorkingDir(new ContainerConfig(), Nginx));
        Assert.Equal("/", ContainerProcess.WorkingDir(new ContainerConfig(), null));
    }

    [Fact]
    public void A_relative_working_dir_is_refused_with_dockers_message()
    {
        var e = OciFixture.Invalid(() => ContainerProcess.WorkingDir(new ContainerConfig { WorkingDir = "app" }, null));
        Assert.Equal("the working directory 'app' is invalid, it needs to be an absolute path", e.Message);
    }

    [Fact]
    public void User_is_the_containers_else_the_images()
    {
        Assert.Equal("www-data", ContainerProcess.User(new ContainerConfig(), Nginx));
        Assert.Equal("1000", ContainerProcess.User(new ContainerConfig { User = "1000" }, Nginx));
        Assert.Equal("", ContainerProcess.User(new ContainerConfig(), null));
    }

    [Fact]
    public void Hostname_is_the_configured_one_else_the_short_id_else_the_hosts_on_host_network()
    {
        Assert.Equal("web", ContainerHostname.Of(OciFixture.Id, new ContainerConfig { Hostname = "web" }, new HostConfig(), "box"));
        Assert.Equal("0123456789ab", ContainerHostname.Of(OciFixture.Id, new ContainerConfig(), new HostConfig(), "box"));
        Assert.Equal("box", ContainerHostname.Of(OciFixture.Id, new ContainerConfig(), new HostConfig { NetworkMode = "host" }, "box"));
    }
}
