using Berth.Api.Models.Volumes;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary><c>volume create/ls/inspect/rm/prune</c> and the <c>-v</c>/<c>--mount</c> flags of run, as docker's CLI has them.</summary>
public sealed class VolumeCommandTests
{
    [Fact]
    public async Task Create_sends_driver_options_and_labels_and_prints_the_name()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("volume", "create", "-o", "type=tmpfs", "--opt", "device=tmpfs", "--label", "a=b", "data"));
        Assert.Equal("data\n", cli.Stdout);
        Assert.Equal("VolumeCreate data local type=tmpfs,device=tmpfs", cli.Client.Calls.Single());
        Assert.Equal("b", cli.Client.Volumes["data"].Labels["a"]);
    }

    [Fact]
    public async Task Ls_prints_dockers_table_and_names_with_q()
    {
        var cli = new TestCli();
        cli.Client.Volumes["zeta"] = new Volume { Name = "zeta", Driver = "local" };
        cli.Client.Volumes["alpha"] = new Volume { Name = "alpha", Driver = "local", Labels = { ["k"] = "v" } };
        Assert.Equal(0, await cli.RunAsync("volume", "ls"));
        Assert.Equal("DRIVER    VOLUME NAME\nlocal     alpha\nlocal     zeta\n", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("volume", "ls", "-q"));
        Assert.Equal("alpha\nzeta\n", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("volume", "ls", "--format", "{{.Name}}:{{.Labels}}"));
        Assert.Equal("alpha:k=v\nzeta:\n", cli.Stdout);
    }

    [Fact]
    public async Task Inspect_and_rm_report_missing_volumes_with_exit_1()
    {
        var cli = new TestCli();
        cli.Client.Volumes["data"] = new Volume { Name = "data", Mountpoint = "/v/data/_data" };
        Assert.Equal(1, await cli.RunAsync("volume", "inspect", "-f", "{{.Mountpoint}}", "data", "nope"));
        Assert.Equal("/v/data/_data\n", cli.Stdout);
        Assert.Contains("get nope: no such volume", cli.Stderr);

        Assert.Equal(1, await cli.RunAsync("volume", "rm", "data", "nope"));
        Assert.Equal("data\n", cli.Stdout);
        Assert.Contains("get nope: no such volume", cli.Stderr);
    }

    [Fact]
    public async Task Prune_asks_first_and_all_adds_dockers_filter()
    {
        var cli = new TestCli { Stdin = new MemoryStream("n\n"u8.ToArray()) };
        Assert.Equal(0, await cli.RunAsync("volume", "prune"));
        Assert.Equal("WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ", cli.Stdout);
        Assert.Empty(cli.Client.Calls);

        cli.Client.PruneReports["Volume"] = "{\"VolumesDeleted\":[\"old\"],\"SpaceReclaimed\":2048}";
        Assert.Equal(0, await cli.RunAsync("volume", "prune", "-a", "-f"));
        Assert.Contains("\"all\":{\"true\":true}", cli.Client.Calls.Single());
        Assert.Equal("Deleted Volumes:\nold\n\nTotal reclaimed space: 2.048kB\n", cli.Stdout);
    }

    [Fact]
    public async Task Run_turns_v_into_binds_or_anonymous_volumes_and_mount_into_mounts()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("run", "-d", "-v", "/data", "-v", "named:/n:ro", "-v", "/h:/c",
            "--mount", "type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777", "--mount", "source=v2,target=/v,volume-nocopy,volume-label=a=b", "busybox"));
        var request = cli.Client.CreateRequests.Single();
        Assert.Equal(["/data"], request.Volumes!.Keys);
        Assert.Equal(["named:/n:ro", "/h:/c"], request.HostConfig!.Binds);
        var (tmpfs, volume) = (request.HostConfig.Mounts![0], request.HostConfig.Mounts[1]);
        Assert.Equal(("tmpfs", "/t", 1048576L, 1023u), (tmpfs.Type, tmpfs.Target, tmpfs.TmpfsOptions!.SizeBytes, tmpfs.TmpfsOptions.Mode));
        Assert.Equal(("volume", "v2", true, "b"), (volume.Type, volume.Source, volume.VolumeOptions!.NoCopy, volume.VolumeOptions.Labels!["a"]));
    }

    [Theory]
    [InlineData("type=bind,destination", "invalid field 'destination' must be a key=value pair")]
    [InlineData("type=bind,source=/x", "target is required")]
    [InlineData("type=bind,target=/x,bogus=1", "unexpected key 'bogus' in 'bogus=1'")]
    [InlineData("type=tmpfs,target=/x,volume-nocopy", "cannot mix 'volume-*' options with mount type 'tmpfs'")]
    [InlineData("type=tmpfs,target=/x,tmpfs-size=big", "invalid value for tmpfs-size: big")]
    public async Task A_bad_mount_flag_is_refused_with_dockers_text_and_exit_125(string spec, string message)
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("run", "--mount", spec, "busybox"));
        Assert.Contains($"invalid argument \"{spec}\" for \"--mount\" flag: {message}", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }
}
