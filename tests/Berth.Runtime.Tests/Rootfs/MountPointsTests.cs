using Berth.Runtime.Rootfs;

namespace Berth.Runtime.Tests.Rootfs;

public sealed class MountPointsTests
{
    private const string MountInfo = """
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
        40 27 0:50 / /var/lib/berth/snapshots rw shared:5 - ext4 /dev/vdb rw
        41 40 0:51 / /var/lib/berth/snapshots/7/fs rw - overlay overlay rw,lowerdir=/a
        42 27 0:52 / /var/lib/berth/snapshots\0407 rw - tmpfs tmpfs rw

        """;

    [Theory]
    [InlineData("/var/lib/berth/snapshots/7/fs", "/var/lib/berth/snapshots/7/fs")]
    [InlineData("/var/lib/berth/snapshots/7/fs/rootfs", "/var/lib/berth/snapshots/7/fs")]
    [InlineData("/var/lib/berth/snapshots/70", "/var/lib/berth/snapshots")]
    [InlineData("/var/lib/berth/snapshots 7/x", "/var/lib/berth/snapshots 7")]
    [InlineData("/tmp/rootfs", "/")]
    public void The_mount_holding_a_path_is_the_longest_mount_point_containing_it(string path, string expected) =>
        Assert.Equal(expected, MountPoints.Holding(path, MountInfo));
}
