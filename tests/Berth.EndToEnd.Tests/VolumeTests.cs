using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Volumes with the real docker CLI against berthd: named and anonymous volumes, binds, tmpfs mounts, copy-up of the
/// image's content, Docker's refusals, and a daemon killed while a mounted volume is in use.
/// </summary>
public sealed class VolumeTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public VolumeTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private string[] VolumeNames() =>
        Docker("volume", "ls", "-q").Ok("volume ls").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string VolumeData(string name) => Path.Combine(_daemon.DataRoot, "volumes", name, "_data");

    private static bool Mounted(string path) =>
        File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == path);

    [PrivilegedFact]
    public void A_named_volume_keeps_its_data_across_containers()
    {
        Docker("volume", "create", "--label", "tier=db", "keep1").Ok("volume create");
        Docker("run", "--rm", "-v", "keep1:/data", "busybox", "sh", "-c", "echo kept > /data/file").Ok("write");
        Assert.Equal("kept", Docker("run", "--rm", "-v", "keep1:/data:ro", "busybox", "cat", "/data/file").Ok("read").Output);

        Assert.Equal("local tier=db " + VolumeData("keep1"),
            Docker("volume", "inspect", "-f", "{{.Driver}} {{range $k, $v := .Labels}}{{$k}}={{$v}}{{end}} {{.Mountpoint}}", "keep1").Ok("inspect").Output);
        Assert.Contains("keep1", Docker("volume", "ls", "--filter", "label=tier=db", "-q").Ok("ls label").Output);
        Assert.DoesNotContain("keep1", Docker("volume", "ls", "--filter", "dangling=false", "-q").Ok("ls dangling").Output);
        Assert.Equal("keep1", Docker("volume", "create", "keep1").Ok("create again").Output);
        Docker("volume", "rm", "keep1").Ok("volume rm");
        Assert.False(Directory.Exists(Path.GetDirectoryName(VolumeData("keep1"))));
        var missing = Docker("volume", "inspect", "keep1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("get keep1: no such volume", missing.Stderr);
    }

    [PrivilegedFact]
    public void A_read_only_bind_refuses_writes_and_a_writable_one_writes_to_the_host()
    {
        var dir = Directory.CreateTempSubdirectory("berth-bind-").FullName;
        try
        {
            var refused = Docker("run", "--rm", "-v", $"{dir}:/x:ro", "busybox", "touch", "/x/f");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Read-only file system", refused.Stderr);

            Docker("run", "--rm", "-v", $"{dir}:/x", "busybox", "sh", "-c", "echo host > /x/f").Ok("rw bind");
            Assert.Equal("host\n", File.ReadAllText(Path.Combine(dir, "f")));

            var created = Path.Combine(dir, "made", "by", "run");
            Docker("run", "--rm", "-v", $"{created}:/y", "busybox", "true").Ok("missing -v source");
            Assert.True(Directory.Exists(created));

            var inspect = Docker("create", "-v", $"{dir}:/x:ro", "busybox", "true").Ok("create").Output;
            Assert.Equal($"bind {dir} /x ro false rprivate [{dir}:/x:ro]",
                Docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Source}} {{.Destination}} {{.Mode}} {{.RW}} {{.Propagation}}{{end}} {{.HostConfig.Binds}}", inspect).Ok("inspect").Output);
            Docker("rm", inspect).Ok("rm");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [PrivilegedFact]
    public void An_anonymous_volume_is_removed_by_rm_v_and_kept_by_rm()
    {
        var before = VolumeNames();
        var id = Docker("create", "-v", "/data", "busybox", "true").Ok("create -v /data").Output;
        var name = Docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", id).Ok("inspect").Output;
        Assert.Matches("^[0-9a-f]{64}$", name);
        Assert.Contains(name, VolumeNames());
        Docker("rm", "-v", id).Ok("rm -v");
        Assert.DoesNotContain(name, VolumeNames());

        var kept = Docker("create", "-v", "/data", "busybox", "true").Ok("create again").Output;
        var keptName = Docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", kept).Ok("inspect").Output;
        Docker("rm", kept).Ok("rm");
        Assert.Contains(keptName, VolumeNames());
        Docker("volume", "rm", keptName).Ok("volume rm");
        Assert.Equal(before, VolumeNames());
    }

    [PrivilegedFact]
    public void A_new_volume_starts_with_the_image_content_at_its_mount_point()
    {
        var image = Path.Combine(_daemon.Directory, "seeded.tar");
        var seed = Path.Combine(_daemon.Directory, "seed");
        Directory.CreateDirectory(Path.Combine(seed, "seed"));
        File.WriteAllText(Path.Combine(seed, "seed", "file"), "seeded\n");
        Commands.Run("tar", ["-C", RepoPaths.BusyboxRootfs, "-cf", image, "."]).Ok("tar");
        Commands.Run("tar", ["-C", seed, "-rf", image, "seed"]).Ok("tar -r");
        Docker("import", "-c", "VOLUME /seed", image, "seeded:1").Ok("import");

        Assert.Equal("seeded", Docker("run", "--rm", "-v", "seedvol:/seed", "seeded:1", "cat", "/seed/file").Ok("named").Output);
        Assert.Equal("seeded", Docker("run", "--rm", "-v", "seedvol:/seed", "busybox", "cat", "/seed/file").Ok("kept in volume").Output);
        Assert.NotEqual(0, Docker("run", "--rm", "-v", "nocopy1:/seed:nocopy", "seeded:1", "cat", "/seed/file").ExitCode);

        // The image's VOLUME is an anonymous volume, filled the same way; --rm removes it.
        var before = VolumeNames();
        Assert.Equal("seeded", Docker("run", "--rm", "seeded:1", "cat", "/seed/file").Ok("anonymous").Output);
        Wait.Until(() => VolumeNames().SequenceEqual(before), "the --rm container's anonymous volume removed");
        Docker("volume", "rm", "seedvol", "nocopy1").Ok("cleanup");
    }

    [PrivilegedFact]
    public void A_volume_in_use_is_refused_with_dockers_conflict()
    {
        var id = Docker("create", "-v", "inuse1:/x", "busybox", "true").Ok("create").Output;
        var refused = Docker("volume", "rm", "inuse1");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"remove inuse1: volume is in use - [{id}]", refused.Stderr);
        Assert.Contains($"volume is in use - [{id}]", Docker("volume", "rm", "-f", "inuse1").Stderr);
        Docker("rm", "-v", id).Ok("rm -v");
        Assert.Contains("inuse1", VolumeNames()); // a named volume outlives rm -v
        Docker("volume", "rm", "inuse1").Ok("volume rm");
    }

    [PrivilegedFact]
    public void Volume_prune_removes_unused_anonymous_volumes_and_with_all_the_named_ones()
    {
        Docker("volume", "create", "prunenamed").Ok("create named");
        var user = Docker("create", "-v", "pruneused:/x", "busybox", "true").Ok("create user").Output;
        var anonymous = Docker("create", "-v", "/anon", "busybox", "true").Ok("create anonymous").Output;
        var anonymousName = Docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", anonymous).Ok("inspect").Output;
        Docker("rm", anonymous).Ok("rm");

        var pruned = Docker("volume", "prune", "-f").Ok("prune").Output;
        Assert.Contains(anonymousName, pruned);
        Assert.DoesNotContain("prunenamed", pruned);
        Assert.Contains("prunenamed", VolumeNames());

        var all = Docker("volume", "prune", "-f", "--all").Ok("prune --all").Output;
        Assert.Contains("prunenamed", all);
        Assert.DoesNotContain("pruneused", all);
        Assert.Contains("pruneused", VolumeNames());
        Docker("rm", "-v", user).Ok("rm");
        Docker("volume", "rm", "pruneused").Ok("volume rm");
    }

    [PrivilegedFact]
    public void A_tmpfs_mount_has_its_size()
    {
        var mounts = Docker("run", "--rm", "--mount", "type=tmpfs,destination=/t,tmpfs-size=1m", "busybox", "grep", " /t ", "/proc/mounts").Ok("run").Output;
        Assert.StartsWith("tmpfs /t tmpfs", mounts);
        Assert.Contains("size=1024k", mounts);
    }

    [PrivilegedFact]
    public void Bad_mounts_get_dockers_errors_and_leave_nothing()
    {
        var volumes = VolumeNames();
        var containers = Docker("ps", "-aq").Output;

        var spec = Docker("run", "--rm", "--mount", "type=bind,destination", "busybox", "true");
        Assert.Equal(125, spec.ExitCode);
        Assert.Contains("invalid argument \"type=bind,destination\" for \"--mount\" flag: invalid field 'destination' must be a key=value pair", spec.Stderr);

        var missing = Docker("run", "--rm", "--mount", "type=volume,source=leftover1,target=/v", "--mount", "type=bind,source=/nonexistent-berth,target=/x", "busybox", "true");
        Assert.Equal(125, missing.ExitCode);
        Assert.Contains("invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-berth", missing.Stderr);

        var duplicate = Docker("run", "--rm", "-v", "/tmp:/d", "-v", "leftover2:/d", "busybox", "true");
        Assert.Equal(125, duplicate.ExitCode);
        Assert.Contains("Duplicate mount point: /d", duplicate.Stderr);

        Assert.Equal(volumes, VolumeNames());
        Assert.Equal(containers, Docker("ps", "-aq").Output);
    }

    [PrivilegedFact]
    public void A_daemon_killed_while_a_mounted_volume_is_in_use_leaves_nothing_mounted()
    {
        var device = Directory.CreateTempSubdirectory("berth-voldev-").FullName;
        try
        {
            Docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=10m", "crashtmp").Ok("create tmpfs");
            Docker("volume", "create", "-o", "type=none", "-o", $"device={device}", "-o", "o=bind", "crashbind").Ok("create bind");
            Docker("run", "-d", "--name", "crashvol", "-v", "crashtmp:/t", "-v", "crashbind:/b", "busybox", "sleep", "300").Ok("run -d");
            Assert.True(Mounted(VolumeData("crashtmp")) && Mounted(VolumeData("crashbind")), "the volumes are mounted while used");
            Docker("exec", "crashvol", "sh", "-c", "echo through > /b/f").Ok("write through the bind volume");
            Assert.Equal("through\n", File.ReadAllText(Path.Combine(device, "f")));

            _daemon.Restart();

            Assert.True(Mounted(VolumeData("crashtmp")), "a volume of a running container stays mounted");
            Docker("rm", "-f", "crashvol").Ok("rm -f");
            Assert.False(Mounted(VolumeData("crashtmp")), "tmpfs volume left mounted");
            Assert.False(Mounted(VolumeData("crashbind")), "bind volume left mounted");
            Docker("volume", "rm", "crashtmp", "crashbind").Ok("volume rm");
            Assert.True(File.Exists(Path.Combine(device, "f")), "removing a bind-type volume must not delete its device's files");
        }
        finally
        {
            Docker("rm", "-f", "crashvol");
            Directory.Delete(device, recursive: true);
        }
    }

    [PrivilegedFact]
    public void Our_cli_manages_volumes_and_mounts_them_like_docker()
    {
        Assert.Equal("cli1", _daemon.Berth("volume", "create", "--label", "by=berth", "cli1").Ok("berth volume create").Output);
        Assert.Contains("local     cli1", _daemon.Berth("volume", "ls").Ok("berth volume ls").Output);
        _daemon.Berth("run", "--rm", "--mount", "source=cli1,target=/m", "busybox", "sh", "-c", "echo via-mount > /m/f").Ok("berth run --mount");
        Assert.Equal("via-mount", Docker("run", "--rm", "-v", "cli1:/m", "busybox", "cat", "/m/f").Ok("docker reads it").Output);
        Assert.Equal("by=berth", _daemon.Berth("volume", "inspect", "-f", "{{range $k, $v := .Labels}}{{$k}}={{$v}}{{end}}", "cli1").Ok("inspect").Output);
        var missing = _daemon.Berth("volume", "rm", "cli1", "nope1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("get nope1: no such volume", missing.Stderr);
        Assert.DoesNotContain("cli1", VolumeNames());
    }

    [PrivilegedFact]
    public async Task A_client_below_api_1_42_prunes_named_volumes_too_and_the_api_answers_in_dockers_shapes()
    {
        using var client = _daemon.ApiClient();
        var created = await client.PostAsync("/v1.44/volumes/create",
            new StringContent("""{"Name":"oldapi1","Labels":{"k":"v"}}""", global::System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(global::System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"Scope\":\"local\"", await created.Content.ReadAsStringAsync());
        var missing = await client.GetAsync("/v1.44/volumes/nope2");
        Assert.Equal(global::System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"message":"get nope2: no such volume"}""", (await missing.Content.ReadAsStringAsync()).Trim());

        var current = await (await client.PostAsync("/v1.44/volumes/prune", null)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("oldapi1", current);
        var old = await (await client.PostAsync("/v1.41/volumes/prune", null)).Content.ReadAsStringAsync();
        Assert.Contains("\"VolumesDeleted\":[\"oldapi1\"]", old);
        Assert.Equal(global::System.Net.HttpStatusCode.NoContent, (await client.DeleteAsync("/v1.44/volumes/oldapi1?force=1")).StatusCode);
    }
}
