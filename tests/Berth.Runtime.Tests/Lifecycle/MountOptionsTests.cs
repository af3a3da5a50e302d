using Berth.Linux;
using Berth.Runtime.Rootfs;

namespace Berth.Runtime.Tests.Lifecycle;

public sealed class MountOptionsTests
{
    [Fact]
    public void Flags_propagation_and_data_are_split_as_mount_takes_them()
    {
        var options = MountOptions.Parse(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "rprivate", "ro"]);
        Assert.Equal(MountFlags.NoSuid | MountFlags.NoExec | MountFlags.ReadOnly, options.Flags);
        Assert.Equal(MountFlags.Private | MountFlags.Rec, options.Propagation);
        Assert.Equal("newinstance,ptmxmode=0666", options.Data);
    }

    [Fact]
    public void Later_options_win_and_clearing_options_clear()
    {
        Assert.Equal(MountFlags.None, MountOptions.Parse(["ro", "rw", "nosuid", "suid"]).Flags);
    }

    [Fact]
    public void Rbind_is_a_recursive_bind_and_bind_type_implies_bind()
    {
        var rbind = MountOptions.Parse(["rbind", "ro"]);
        Assert.True(rbind.IsBind && rbind.IsRecursive);
        Assert.Equal(MountFlags.ReadOnly, rbind.RemountFlags);
        Assert.True(MountOptions.Parse([], "bind").IsBind);
    }

    [Theory]
    [InlineData(null, MountFlags.Slave | MountFlags.Rec)]
    [InlineData("", MountFlags.Slave | MountFlags.Rec)]
    [InlineData("private", MountFlags.Private)]
    [InlineData("rshared", MountFlags.Shared | MountFlags.Rec)]
    public void Rootfs_propagation_defaults_to_rslave(string? value, MountFlags expected) =>
        Assert.Equal(expected, RootfsBuilder.RootfsPropagation(value));

    [Fact]
    public void Unknown_rootfs_propagation_is_refused() =>
        Assert.Throws<RuntimeException>(() => RootfsBuilder.RootfsPropagation("sideways"));
}
