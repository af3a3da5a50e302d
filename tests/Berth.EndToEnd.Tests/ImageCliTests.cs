using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>Images as a docker user handles them offline: import, tag, images, history, rmi's rules, save and load.</summary>
public sealed class ImageCliTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public ImageCliTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    [PrivilegedFact]
    public void Import_with_changes_sets_the_config_containers_use()
    {
        var tar = Path.Combine(_daemon.Directory, "changes.tar");
        Commands.Run("tar", ["-C", RepoPaths.BusyboxRootfs, "-cf", tar, "."]).Ok("tar");
        var id = Docker("import", "-c", "ENV GREETING=hi", "-c", "CMD [\"sh\", \"-c\", \"echo $GREETING\"]", "-m", "seeded", tar, "greeter:1").Ok("import").Output;
        Assert.StartsWith("sha256:", id);
        Assert.Equal("hi", Docker("run", "--rm", "greeter:1").Ok("run").Output);
        Assert.Equal("seeded", Docker("image", "inspect", "-f", "{{.Comment}}", "greeter:1").Output);
        Assert.Contains("seeded", Docker("history", "greeter:1").Ok("history").Output);
        Docker("rmi", "greeter:1").Ok("rmi");
    }

    [PrivilegedFact]
    public void Tags_share_an_id_and_rmi_follows_dockers_rules()
    {
        Docker("tag", "busybox", "localhost:5000/team/bb:v1").Ok("tag");
        Docker("tag", "busybox", "bb2").Ok("tag");
        var ids = Docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").Ok("images").Output.Split('\n');
        Assert.Contains(ids, l => l.StartsWith("localhost:5000/team/bb:v1 ", StringComparison.Ordinal));
        Assert.Single(ids.Select(l => l.Split(' ')[1]).Distinct());

        var byId = Docker("rmi", Docker("image", "inspect", "-f", "{{.Id}}", "busybox").Output);
        Assert.NotEqual(0, byId.ExitCode);
        Assert.Contains("image is referenced in multiple repositories", byId.Stderr);

        Assert.Equal("Untagged: bb2:latest", Docker("rmi", "bb2").Ok("rmi").Output);
        Assert.Equal("Untagged: localhost:5000/team/bb:v1", Docker("rmi", "localhost:5000/team/bb:v1").Ok("rmi").Output);
        Assert.Equal(0, Docker("image", "inspect", "busybox").ExitCode);
    }

    [PrivilegedFact]
    public void Save_then_load_gives_back_the_same_image()
    {
        Docker("tag", "busybox", "roundtrip:1").Ok("tag");
        var id = Docker("image", "inspect", "-f", "{{.Id}}", "roundtrip:1").Output;
        var archive = Path.Combine(_daemon.Directory, "roundtrip.tar");
        Docker("save", "-o", archive, "roundtrip:1").Ok("save");
        var listing = Commands.Run("tar", ["-tf", archive]).Ok("tar -t").Output;
        Assert.Contains("manifest.json", listing);
        Assert.Contains("index.json", listing);
        Docker("rmi", "roundtrip:1").Ok("rmi");
        Assert.Contains("Loaded image: roundtrip:1", Docker("load", "-i", archive).Ok("load").Output);
        Assert.Equal(id, Docker("image", "inspect", "-f", "{{.Id}}", "roundtrip:1").Output);
        Docker("rmi", "roundtrip:1").Ok("rmi");
    }

    [PrivilegedFact]
    public void Hostile_archives_are_refused_and_leave_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("hostile-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "evil"), "x");
            var tar = Path.Combine(dir, "evil.tar");
            Commands.Run("tar", ["-C", dir, "-cf", tar, "--transform", "s,^evil,../../escaped,", "evil"]).Ok("tar");
            var before = Docker("images", "-q").Output;
            var result = Docker("import", tar, "evil:1");
            Assert.NotEqual(0, result.ExitCode);
            Assert.Equal(before, Docker("images", "-q").Output);
            Assert.False(File.Exists(Path.Combine(_daemon.DataRoot, "..", "escaped")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
