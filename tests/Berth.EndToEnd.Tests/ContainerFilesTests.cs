using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// <c>docker cp</c>, <c>diff</c> and <c>export</c> with the real docker CLI against berthd: copies in and out of
/// running, stopped and never-started containers, through volumes, and through links that point out of the container
/// (CVE-2018-15664, CVE-2019-14271): what comes out is always the container's, what goes in always lands inside it.
/// </summary>
public sealed class ContainerFilesTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly string _local = Directory.CreateTempSubdirectory("berth-cp-").FullName;

    public ContainerFilesTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private string Local(string name) => Path.Combine(_local, name);

    private string Detached(string name, string script, params string[] options) =>
        Docker(["run", "-d", "--name", name, .. options, "busybox", "sh", "-c", script]).Ok("run -d").Output;

    [PrivilegedFact]
    public void Files_go_into_and_come_out_of_a_running_container()
    {
        Detached("cp-running", "sleep 300");
        File.WriteAllText(Local("hello.txt"), "hello from the host\n");
        Directory.CreateDirectory(Local("tree/sub"));
        File.WriteAllText(Local("tree/sub/leaf"), "leaf\n");

        Docker("cp", Local("hello.txt"), "cp-running:/tmp/").Ok("cp file in");
        Assert.Equal("hello from the host", Docker("exec", "cp-running", "cat", "/tmp/hello.txt").Ok("cat").Output);
        Docker("cp", Local("tree") + "/.", "cp-running:/opt").Ok("cp contents to a new dir");
        Assert.Equal("leaf", Docker("exec", "cp-running", "cat", "/opt/sub/leaf").Ok("cat leaf").Output);
        Docker("cp", Local("tree"), "cp-running:/opt/").Ok("cp dir into a dir");
        Assert.Equal("leaf", Docker("exec", "cp-running", "cat", "/opt/tree/sub/leaf").Ok("cat nested leaf").Output);

        var hostname = Docker("exec", "cp-running", "hostname").Ok("hostname").Output;
        Docker("cp", "cp-running:/etc/hostname", Local("hostname")).Ok("cp the bound /etc/hostname out");
        Assert.Equal(hostname + "\n", File.ReadAllText(Local("hostname")));
        Docker("cp", "cp-running:/tmp/hello.txt", Local("back.txt")).Ok("cp file out");
        Assert.Equal("hello from the host\n", File.ReadAllText(Local("back.txt")));
        Docker("cp", "cp-running:/opt/.", Local("out")).Ok("cp contents out");
        Assert.Equal("leaf\n", File.ReadAllText(Local("out/tree/sub/leaf")));

        var tar = Commands.Run("sh", ["-c", $"docker -H {_daemon.Host} cp cp-running:/opt/sub - | tar t"]).Ok("cp to stdout");
        Assert.Equal(["sub/", "sub/leaf"], tar.Output.Split('\n'));

        var missing = Docker("cp", "cp-running:/nonexistent", Local("x"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Could not find the file /nonexistent in container cp-running", missing.Stderr);
        Docker("rm", "-f", "cp-running").Ok("rm");
    }

    [PrivilegedFact]
    public void A_created_container_takes_files_before_start_and_a_stopped_one_gives_them_back()
    {
        File.WriteAllText(Local("config"), "configured before start\n");
        var id = Docker("create", "--name", "cp-created", "busybox", "cat", "/etc/app-config").Ok("create").Output;
        var refused = Docker("cp", Local("config"), "cp-created:/etc/app/");
        Assert.NotEqual(0, refused.ExitCode); // /etc/app does not exist: docker's "no such directory"
        Docker("cp", Local("config"), "cp-created:/etc/app-config").Ok("cp into a created container");
        Assert.Equal("created", Docker("inspect", "-f", "{{.State.Status}}", id).Ok("inspect").Output);
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(id, StringComparison.Ordinal));
        Docker("cp", "cp-created:/etc/app-config", Local("again")).Ok("cp out of a created container");
        Assert.Equal("configured before start\n", File.ReadAllText(Local("again")));
        Assert.Equal("configured before start", Docker("start", "-a", "cp-created").Ok("start -a").Output);

        Docker("cp", Local("config"), "cp-created:/root/").Ok("cp into a stopped container");
        Docker("cp", "cp-created:/root/config", Local("stopped")).Ok("cp out of a stopped container");
        Assert.Equal("configured before start\n", File.ReadAllText(Local("stopped")));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(id, StringComparison.Ordinal));
        Docker("rm", "cp-created").Ok("rm");
    }

    [PrivilegedFact]
    public void Diff_lists_what_the_container_added_changed_and_deleted()
    {
        Docker("run", "--name", "diffed", "busybox", "sh", "-c", "mkdir /data && echo x > /data/f && rm /etc/group && echo more >> /etc/passwd").Ok("run");
        var lines = Docker("diff", "diffed").Ok("diff").Output.Split('\n');
        Assert.Equal(["A /data", "A /data/f", "C /etc", "D /etc/group", "C /etc/passwd"], lines);
        Assert.Equal(lines, Docker("container", "diff", "diffed").Ok("container diff").Output.Split('\n'));
        Docker("rm", "diffed").Ok("rm");
    }

    [PrivilegedFact]
    public void Export_gives_the_root_filesystem_as_a_tar()
    {
        Docker("run", "--name", "exported", "busybox", "sh", "-c", "echo inside > /root/marker").Ok("run");
        var names = Commands.Run("sh", ["-c", $"docker -H {_daemon.Host} export exported | tar t"]).Ok("export | tar t").Output.Split('\n');
        Assert.Contains("bin/busybox", names);
        Assert.Contains("root/marker", names);
        Assert.Contains("etc/passwd", names);
        Docker("export", "-o", Local("rootfs.tar"), "exported").Ok("export -o");
        Assert.Contains("root/marker", Commands.Run("tar", ["tf", Local("rootfs.tar")]).Ok("tar tf").Output);
        Docker("rm", "exported").Ok("rm");
    }

    [PrivilegedFact]
    public void A_link_to_the_hosts_root_never_leads_a_copy_out_of_the_container()
    {
        var hostOnly = Directory.CreateTempSubdirectory("berth-escape-").FullName;
        try
        {
            Detached("escaper", $"ln -s / /escape && ln -s ../../../../../.. /up && echo container-shadow > /etc/shadow "
                + $"&& mkdir -p {hostOnly} && ln -s {hostOnly} /into && ln -s /../../../../..{hostOnly} /deep && sleep 300");
            WaitForFile("escaper", "/deep");

            foreach (var source in new[] { "/escape/etc/shadow", "/up/etc/shadow" })
            {
                var copy = Docker("cp", $"escaper:{source}", Local("shadow"));
                if (copy.ExitCode == 0) Assert.Equal("container-shadow\n", File.ReadAllText(Local("shadow")));
                File.Delete(Local("shadow"));
            }

            File.WriteAllText(Local("payload"), "payload\n");
            Docker("cp", Local("payload"), "escaper:/into/").Ok("cp into a link to a host path");
            Docker("cp", Local("payload"), "escaper:/deep/second").Ok("cp through a link climbing out");
            Assert.Empty(Directory.EnumerateFileSystemEntries(hostOnly));
            Assert.Equal("payload", Docker("exec", "escaper", "cat", $"{hostOnly}/payload").Ok("inside").Output);
            Assert.Equal("payload", Docker("exec", "escaper", "cat", $"{hostOnly}/second").Ok("inside second").Output);
            Docker("rm", "-f", "escaper").Ok("rm");
        }
        finally
        {
            Directory.Delete(hostOnly, recursive: true);
        }
    }

    [PrivilegedFact]
    public void A_volume_is_read_and_written_through_its_mount_and_a_read_only_rootfs_refuses()
    {
        Detached("cp-volume", "sleep 300", "-v", "cpvol:/data", "--read-only");
        File.WriteAllText(Local("in-volume"), "kept in the volume\n");
        Docker("cp", Local("in-volume"), "cp-volume:/data/").Ok("cp into the volume");
        Assert.Equal("kept in the volume", Docker("run", "--rm", "-v", "cpvol:/v", "busybox", "cat", "/v/in-volume").Ok("read back").Output);
        Docker("cp", "cp-volume:/data/in-volume", Local("from-volume")).Ok("cp out of the volume");
        Assert.Equal("kept in the volume\n", File.ReadAllText(Local("from-volume")));

        var refused = Docker("cp", Local("in-volume"), "cp-volume:/tmp/");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("container rootfs is marked read-only", refused.Stderr);
        Docker("rm", "-f", "-v", "cp-volume").Ok("rm");
        Docker("volume", "rm", "cpvol").Ok("volume rm");
    }

    [PrivilegedFact]
    public void Berths_own_cp_diff_and_export_round_trip_a_file()
    {
        Detached("berth-cp", "sleep 300");
        File.WriteAllText(Local("round"), "round trip\n");
        Assert.Equal("", _daemon.Berth("cp", Local("round"), "berth-cp:/root/").Ok("berth cp in").Output);
        Assert.Equal(["C /root", "A /root/round"], _daemon.Berth("diff", "berth-cp").Ok("berth diff").Output.Split('\n'));
        _daemon.Berth("container", "cp", "-q", "berth-cp:/root/round", Local("round-back")).Ok("berth cp out");
        Assert.Equal("round trip\n", File.ReadAllText(Local("round-back")));
        Assert.Equal("round", Commands.Run("sh", ["-c", $"{RepoPaths.Cli} -H {_daemon.Host} cp berth-cp:/root/round - | tar t"]).Ok("cp to stdout").Output);
        _daemon.Berth("export", "-o", Local("berth-export.tar"), "berth-cp").Ok("berth export");
        Assert.Contains("root/round", Commands.Run("tar", ["tf", Local("berth-export.tar")]).Ok("tar tf").Output.Split('\n'));
        Docker("rm", "-f", "berth-cp").Ok("rm");
    }

    private void WaitForFile(string container, string path)
    {
        for (var i = 0; i < 100 && Docker("exec", container, "test", "-L", path).ExitCode != 0; i++) Thread.Sleep(100);
    }

    public void Dispose() => Directory.Delete(_local, recursive: true);
}
