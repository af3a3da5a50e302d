using Berth.Dockerfile;
using Berth.Oci.Image;

namespace Berth.Build.Tests;

public sealed class BuildPlanTests
{
    [Fact]
    public void The_target_needs_only_the_stages_it_uses()
    {
        var document = DockerfileParser.Parse("""
            FROM busybox AS unused
            RUN false
            FROM busybox AS base
            RUN echo base
            FROM base AS app
            COPY --from=0 /x /x
            FROM busybox AS other
            """);

        var plan = new StagePlan(document, "app");

        Assert.Equal([0, 1, 2], plan.Stages.Select(s => s.Index));
        Assert.Equal(6, plan.StepCount);
        Assert.Equal(["other"], new StagePlan(document, null).Stages.Select(s => s.Name));
        Assert.Equal("failed to reach build target nosuch in Dockerfile", Assert.Throws<BuildException>(() => new StagePlan(document, "nosuch")).Message);
        Assert.Null(plan.Find("app", 2)); // a stage names only earlier stages
    }

    [Fact]
    public void A_stage_a_run_step_mounts_is_needed()
    {
        var document = DockerfileParser.Parse("""
            FROM busybox AS tools
            FROM busybox AS unused
            FROM busybox
            RUN --mount=type=bind,from=tools,target=/t --mount=type=cache,target=/c true
            """);

        Assert.Equal([0, 2], new StagePlan(document, null).Stages.Select(s => s.Index));
    }

    [Fact]
    public void Build_args_follow_dockers_scopes_and_report_what_was_not_consumed()
    {
        var args = new BuildArgs(new Dictionary<string, string?> { ["VERSION"] = "2", ["http_proxy"] = "http://p", ["UNUSED"] = "x" });
        args.DeclareGlobal(new ArgInstruction(1, "ARG VERSION=1 BASE=busybox", [new("VERSION", "1"), new("BASE", "busybox")]),
            (word, _) => word, new Dictionary<string, string>());
        Assert.Equal("2", args.Global["VERSION"]);

        var stage = args.NewStage();
        Assert.Equal("http://p", stage.Values["http_proxy"]);
        Assert.False(stage.Values.ContainsKey("BASE")); // a global arg is not seen in a stage until declared
        stage.Declare(new ArgDefinition("BASE", null));
        stage.Declare(new ArgDefinition("LOCAL", "d"));
        Assert.Equal("busybox", stage.Values["BASE"]);
        Assert.Equal("d", stage.Values["LOCAL"]);
        Assert.Equal(["BASE", "LOCAL"], stage.ForRun(new HashSet<string>(), forCache: true).Select(a => a.Key));
        Assert.Equal(["UNUSED"], args.Unconsumed);
    }

    [Fact]
    public void Config_keys_ignore_the_order_maps_were_filled_in()
    {
        var a = new ImageRuntimeConfig { Labels = new() { ["x"] = "1", ["y"] = "2" }, Cmd = ["sh"] };
        var b = new ImageRuntimeConfig { Labels = new() { ["y"] = "2", ["x"] = "1" }, Cmd = ["sh"] };
        Assert.Equal(ConfigKey.Of(a), ConfigKey.Of(b));
        b.Cmd = ["sh", "-c"];
        Assert.NotEqual(ConfigKey.Of(a), ConfigKey.Of(b));
    }

    [Theory]
    [InlineData("*.txt", "a.txt", true)]
    [InlineData("*.txt", "dir/a.txt", false)]
    [InlineData("dir/?.txt", "dir/a.txt", true)]
    [InlineData("[a-c]*", "beta", true)]
    [InlineData("[^a-c]*", "beta", false)]
    [InlineData("a\\*", "a*", true)]
    public void Globs_match_as_gos_filepath_match(string pattern, string name, bool matches) =>
        Assert.Equal(matches, GoGlob.IsMatch(pattern, name));
}
