using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups.V1;
using Berth.Runtime.Cgroups.V2;
using Berth.Runtime.Init;
using Berth.Runtime.Stages;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>The per-device block I/O limits as runc writes them, on v1 and v2; and the environment check before exec.</summary>
public sealed class BlockIoDeviceTests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    private static readonly LinuxBlockIo Limits = new()
    {
        WeightDevice = [new LinuxWeightDevice { Major = 8, Minor = 0, Weight = 200 }],
        ThrottleReadBpsDevice = [new LinuxThrottleDevice { Major = 8, Minor = 0, Rate = 1048576 }],
        ThrottleWriteIOPSDevice = [new LinuxThrottleDevice { Major = 254, Minor = 0, Rate = 100 }],
    };

    [Fact]
    public void V1_writes_one_device_line_per_file()
    {
        var dir = _fs.Seed("blkio", ("blkio.bfq.weight_device", ""), ("blkio.throttle.read_bps_device", ""), ("blkio.throttle.write_iops_device", ""));

        Assert.True(BlkioV1.IsRequested(Limits));
        BlkioV1.Set(dir, Limits);

        Assert.Equal([
            (dir.FileOf("blkio.bfq.weight_device"), "8:0 200"),
            (dir.FileOf("blkio.throttle.read_bps_device"), "8:0 1048576"),
            (dir.FileOf("blkio.throttle.write_iops_device"), "254:0 100"),
        ], _fs.Writes);
    }

    [Fact]
    public void V2_writes_io_max_lines_and_a_converted_device_weight()
    {
        var dir = _fs.Seed("cg", ("io.weight", "default 100"), ("io.max", ""));

        IoV2.Set(dir, Limits);

        Assert.Equal([
            (dir.FileOf("io.weight"), "8:0 1920"),
            (dir.FileOf("io.max"), "8:0 rbps=1048576"),
            (dir.FileOf("io.max"), "254:0 wiops=100"),
        ], _fs.Writes);
    }

    [Fact]
    public void A_nul_byte_in_the_environment_is_refused_as_runc_refuses_it()
    {
        EnvironmentCheck.Validate(["A=1", "B=x\0y", "B=clean"]); // the last B is the one that counts
        var e = Assert.Throws<StageFailedException>(() => EnvironmentCheck.Validate(["PATH=/bin", "A=x\0y"]));
        Assert.Equal("invalid environment variable \"A\": contains nul byte (\\x00)", e.Message);
    }

    public void Dispose() => _fs.Dispose();
}
