using Berth.Dockerfile;
using Berth.Oci.Image;

namespace Berth.Build.Tests;

public sealed class ConfigDispatcherTests
{
    private static (ImageRuntimeConfig Config, StageState State) Stage(ImageRuntimeConfig? config = null)
    {
        var state = new StageState("sha256:x", config ?? new ImageRuntimeConfig(), new BuildArgs(new Dictionary<string, string?>()).NewStage());
        return (state.Config, state);
    }

    private static Instruction Parse(string line) => DockerfileParser.ParseInstruction(line, 1, '\\');

    [Fact]
    public void Env_replaces_a_variable_in_place_and_appends_new_ones()
    {
        var (config, state) = Stage(new ImageRuntimeConfig { Env = ["PATH=/bin", "A=1"] });
        var text = ConfigDispatcher.Apply(Parse("ENV A=2 B=3"), config, state);
        Assert.Equal(["PATH=/bin", "A=2", "B=3"], config.Env);
        Assert.Equal("ENV A=2 B=3", text);
    }

    [Fact]
    public void Entrypoint_drops_an_inherited_cmd_but_keeps_one_set_in_the_stage()
    {
        var (config, state) = Stage(new ImageRuntimeConfig { Cmd = ["sh"] });
        ConfigDispatcher.Apply(Parse("ENTRYPOINT [\"top\"]"), config, state);
        Assert.Null(config.Cmd);

        ConfigDispatcher.Apply(Parse("CMD [\"-b\"]"), config, state);
        ConfigDispatcher.Apply(Parse("ENTRYPOINT top"), config, state);
        Assert.Equal(["-b"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "top"], config.Entrypoint);
    }

    [Fact]
    public void Shell_form_commands_use_the_stage_shell()
    {
        var (config, state) = Stage();
        ConfigDispatcher.Apply(Parse("SHELL [\"/bin/bash\", \"-ec\"]"), config, state);
        ConfigDispatcher.Apply(Parse("CMD echo hi"), config, state);
        Assert.Equal(["/bin/bash", "-ec", "echo hi"], config.Cmd);
    }

    [Fact]
    public void Expose_normalises_ports_and_ranges_and_refuses_bad_ones()
    {
        var (config, state) = Stage();
        Assert.Equal("EXPOSE 80/tcp 8000/udp 8001/udp", ConfigDispatcher.Apply(Parse("EXPOSE 80 8000-8001/udp"), config, state));
        Assert.Equal(["80/tcp", "8000/udp", "8001/udp"], config.ExposedPorts!.Keys.Order());
        Assert.Throws<BuildException>(() => ConfigDispatcher.Apply(Parse("EXPOSE 70000"), config, state));
        Assert.Throws<BuildException>(() => ConfigDispatcher.Apply(Parse("EXPOSE 80/xyz"), config, state));
    }

    [Theory]
    [InlineData(null, "/app", "/app")]
    [InlineData("/app", "src", "/app/src")]
    [InlineData("/app", "../x/./y", "/x/y")]
    [InlineData("/a", "/b/", "/b")]
    public void Workdir_joins_relative_paths_to_the_current_one(string? current, string path, string expected) =>
        Assert.Equal(expected, ConfigDispatcher.Workdir(current, path));

    [Fact]
    public void Healthcheck_and_stopsignal_and_onbuild_are_recorded()
    {
        var (config, state) = Stage();
        ConfigDispatcher.Apply(Parse("HEALTHCHECK --interval=5s --retries=2 CMD [\"true\"]"), config, state);
        ConfigDispatcher.Apply(Parse("STOPSIGNAL SIGTERM"), config, state);
        ConfigDispatcher.Apply(Parse("ONBUILD RUN echo later"), config, state);
        Assert.Equal(["CMD", "true"], config.Healthcheck!.Test);
        Assert.Equal(5_000_000_000, config.Healthcheck.Interval);
        Assert.Equal(2, config.Healthcheck.Retries);
        Assert.Equal("SIGTERM", config.StopSignal);
        Assert.Equal(["RUN echo later"], config.OnBuild);
    }
}
