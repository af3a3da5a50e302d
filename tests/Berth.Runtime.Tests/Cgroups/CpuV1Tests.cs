using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V1;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CpuV1Tests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    private CgroupDirectory CpuDir() =>
        _fs.Seed("cpu", ("cpu.shares", "1024"), ("cpu.cfs_period_us", "100000"), ("cpu.cfs_quota_us", "-1"));

    [Fact]
    public void Shares_then_period_then_quota()
    {
        var dir = CpuDir();

        CpuV1.Set(dir, new LinuxCpu { Shares = 512, Quota = 50_000, Period = 100_000 });

        Assert.Equal(["cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us"], _fs.WrittenNames);
        Assert.Equal("50000", _fs.Content(dir, "cpu.cfs_quota_us"));
    }

    [Fact]
    public void A_period_refused_with_EINVAL_is_retried_after_the_quota()
    {
        var dir = CpuDir();
        _fs.FailWrites("cpu.cfs_period_us", Errno.EINVAL);

        CpuV1.Set(dir, new LinuxCpu { Quota = 10_000, Period = 20_000 });

        Assert.Equal(["cpu.cfs_quota_us", "cpu.cfs_period_us"], _fs.WrittenNames);
    }

    [Fact]
    public void A_period_refused_without_a_quota_to_write_fails()
    {
        var dir = CpuDir();
        _fs.FailWrites("cpu.cfs_period_us", Errno.EINVAL);

        var error = Assert.Throws<CgroupException>(() => CpuV1.Set(dir, new LinuxCpu { Period = 20_000 }));

        Assert.Contains("cpu.cfs_period_us \"20000\": Invalid argument", error.Message);
    }

    [Fact]
    public void Shares_the_kernel_clamped_are_an_error()
    {
        var dir = CpuDir();
        _fs.ReadOverride = path => path.EndsWith("cpu.shares", StringComparison.Ordinal) ? "262144\n" : null;

        var error = Assert.Throws<CgroupException>(() => CpuV1.Set(dir, new LinuxCpu { Shares = 1_000_000 }));

        Assert.Equal("the maximum allowed cpu-shares is 262144", error.Message);
    }

    [Fact]
    public void Unset_fields_write_nothing()
    {
        CpuV1.Set(CpuDir(), new LinuxCpu { Shares = 0, Quota = 0, Period = 0 });

        Assert.Empty(_fs.Writes);
    }

    public void Dispose() => _fs.Dispose();
}
