using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>Prunes with the docker CLI: each filter removes what it selects and nothing else.</summary>
public sealed class PruneTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public PruneTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private string[] Images() =>
        Docker("images", "--format", "{{.Repository}}:{{.Tag}}").Ok("images").Output.Split('\n').Order().ToArray();

    [PrivilegedFact]
    public void Image_prune_removes_only_what_its_filters_select()
    {
        var tar = Path.Combine(_daemon.Directory, "prune.tar");
        Commands.Run("tar", ["-C", RepoPaths.BusyboxRootfs, "-cf", tar, "."]).Ok("tar");
        Docker("import", "-c", "LABEL tier=keep", tar, "keep:1").Ok("import keep");
        Docker("import", "-c", "LABEL tier=drop", tar, "drop:1").Ok("import drop");
        var before = Images();
        Assert.Equal(["busybox:latest", "drop:1", "keep:1"], before);

        Docker("image", "prune", "-a", "-f", "--filter", "label=nosuch").Ok("prune label=nosuch");
        Assert.Equal(before, Images());
        Docker("image", "prune", "-a", "-f", "--filter", "until=1h").Ok("prune until=1h");
        Assert.Equal(before, Images());

        var notDrop = Docker("image", "prune", "-a", "-f", "--filter", "label=tier", "--filter", "label!=tier=drop").Ok("prune label!");
        Assert.Contains("untagged: keep:1", notDrop.Output);
        Assert.Equal(["busybox:latest", "drop:1"], Images());
        var drop = Docker("image", "prune", "-a", "-f", "--filter", "label=tier=drop").Ok("prune label=tier=drop");
        Assert.Contains("untagged: drop:1", drop.Output);
        Assert.Equal(["busybox:latest"], Images());

        var refused = Docker("image", "prune", "-f", "--filter", "bogus=1");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid filter 'bogus'", refused.Stderr);
    }

    [PrivilegedFact]
    public void Container_prune_honours_label_and_until()
    {
        var a = Docker("create", "--label", "group=a", "busybox", "true").Ok("create a").Output;
        var b = Docker("create", "--label", "group=b", "busybox", "true").Ok("create b").Output;

        Assert.DoesNotContain(a, Docker("container", "prune", "-f", "--filter", "until=1h").Ok("prune until").Output);
        var pruned = Docker("container", "prune", "-f", "--filter", "label=group=a").Ok("prune label").Output;
        Assert.Contains(a, pruned);
        Assert.DoesNotContain(b, pruned);
        Assert.NotEqual(0, Docker("inspect", a).ExitCode);

        Assert.DoesNotContain(b, Docker("container", "prune", "-f", "--filter", "label!=group").Ok("prune label!").Output);
        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString();
        Assert.Contains(b, Docker("container", "prune", "-f", "--filter", $"until={future}").Ok("prune until future").Output);
        Assert.Contains("invalid filter 'dangling'", Docker("container", "prune", "-f", "--filter", "dangling=true").Stderr);
    }
}
