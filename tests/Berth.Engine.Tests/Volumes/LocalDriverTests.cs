using Berth.Volumes;

namespace Berth.Engine.Tests.Volumes;

/// <summary>The local driver's names, options and reference counting, on a temp dir (no mounts: no root needed).</summary>
public sealed class LocalDriverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-volumes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("a", "volume name is too short, names should be at least two alphanumeric characters")]
    [InlineData("_x", "\"_x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("a/b", "\"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    public void Names_are_validated_with_mobys_texts(string name, string message)
    {
        var error = Assert.Throws<VolumeException>(() => new LocalDriver(_root).Create(name, new Dictionary<string, string>()));
        Assert.Equal((true, message), (error.IsInvalidArgument, error.Message));
    }

    [Theory]
    [InlineData("bogus=1", "invalid option: \"bogus\"")]
    [InlineData("type=tmpfs", "missing required option: \"device\"")]
    [InlineData("o=size=1m,device=tmpfs", "missing required option: \"type\"")]
    [InlineData("size=10m", "quota size requested but no quota support")]
    public void Options_are_validated_with_mobys_texts(string options, string message)
    {
        var map = options.Split(',').Select(o => o.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(message, Assert.Throws<VolumeException>(() => new LocalDriver(_root).Create("v1", map)).Message);
    }

    [Fact]
    public void A_plain_volume_is_a_directory_counted_by_reference_and_refused_removal_while_used()
    {
        var driver = new LocalDriver(_root);
        var none = new Dictionary<string, string>();
        var path = driver.Create("data", none);
        Assert.Equal(Path.Combine(_root, "data", "_data"), path);
        File.WriteAllText(Path.Combine(path, "f"), "12345");

        Assert.Equal(path, driver.Mount("data", none, "c1"));
        driver.Mount("data", none, "c2");
        Assert.True(driver.Unmount("data", none, "c1"));
        Assert.False(driver.Unmount("data", none, "c1"));
        Assert.Equal("volume has active mounts", Assert.Throws<VolumeException>(() => driver.Remove("data")).Message);
        Assert.Equal(5, driver.Size("data", none));
        driver.Unmount("data", none, "c2");
        driver.Remove("data");
        Assert.False(Directory.Exists(Path.Combine(_root, "data")));
    }

    [Fact]
    public void Mount_options_split_into_flags_propagation_and_data()
    {
        var (flags, propagation, data) = LocalOptions.Parse(new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=10m,ro,nosuid,uid=1000,rshared" })
            .SplitMountOptions();
        Assert.Equal(Berth.Linux.MountFlags.ReadOnly | Berth.Linux.MountFlags.NoSuid, flags);
        Assert.Equal(Berth.Linux.MountFlags.Shared | Berth.Linux.MountFlags.Rec, propagation);
        Assert.Equal("size=10m,uid=1000", data);
    }

    [Fact]
    public void The_mount_table_is_read_with_its_escapes()
    {
        var info = Path.Combine(_root, "mountinfo");
        File.WriteAllText(info, "36 35 98:0 / /mnt/with\\040space rw,noatime master:1 - ext3 /dev/root rw\n");
        Assert.True(MountTable.IsMountPoint("/mnt/with space", info));
        Assert.False(MountTable.IsMountPoint("/mnt", info));
    }
}
