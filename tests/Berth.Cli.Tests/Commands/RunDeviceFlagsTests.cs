using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>The device and block I/O flags of run and create reach the create body, or fail with docker's texts.</summary>
public sealed class RunDeviceFlagsTests
{
    [Fact]
    public async Task Device_flags_fill_the_host_config()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("create", "--device", "/dev/null:/dev/mynull:rw", "--device-cgroup-rule", "c 1:3 rwm",
            "--blkio-weight", "300", "--blkio-weight-device", "/dev/vda:200", "--device-read-bps", "/dev/vda:1mb",
            "--device-write-bps", "/dev/vda:2048", "--device-read-iops", "/dev/vda:100", "--device-write-iops", "/dev/vda:50",
            "--gpus", "all", "--storage-opt", "size=1G", "busybox"));

        var host = cli.Client.CreateRequests.Single().HostConfig!;
        Assert.Equal(("/dev/null", "/dev/mynull", "rw"), (host.Devices![0].PathOnHost, host.Devices[0].PathInContainer, host.Devices[0].CgroupPermissions));
        Assert.Equal(["c 1:3 rwm"], host.DeviceCgroupRules);
        Assert.Equal((ushort)300, host.BlkioWeight);
        Assert.Equal(("/dev/vda", (ushort)200), (host.BlkioWeightDevice![0].Path, host.BlkioWeightDevice[0].Weight));
        Assert.Equal(1UL << 20, host.BlkioDeviceReadBps![0].Rate);
        Assert.Equal(2048UL, host.BlkioDeviceWriteBps![0].Rate);
        Assert.Equal((100UL, 50UL), (host.BlkioDeviceReadIOps![0].Rate, host.BlkioDeviceWriteIOps![0].Rate));
        Assert.Equal((-1, "gpu"), (host.DeviceRequests![0].Count, host.DeviceRequests[0].Capabilities![0][0]));
        Assert.Equal("1G", host.StorageOpt!["size"]);
    }

    [Theory]
    [InlineData("--device-cgroup-rule", "c 1:3", "invalid device cgroup format 'c 1:3'")]
    [InlineData("--blkio-weight-device", "/dev/vda", "bad format: /dev/vda")]
    [InlineData("--blkio-weight-device", "vda:200", "bad format for device path: vda:200")]
    [InlineData("--blkio-weight-device", "/dev/vda:5", "invalid weight for device: /dev/vda:5")]
    [InlineData("--device-read-bps", "/dev/vda:fast", "invalid rate for device: /dev/vda:fast.")]
    [InlineData("--device-write-iops", "/dev/vda:1k", "invalid rate for device: /dev/vda:1k.")]
    public async Task Malformed_values_fail_before_any_request(string flag, string value, string message)
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("create", flag, value, "busybox"));
        Assert.Contains(message, cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }
}
