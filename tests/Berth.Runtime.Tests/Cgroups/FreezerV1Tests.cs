using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V1;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class FreezerV1Tests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    [Fact]
    public void Freeze_rewrites_FROZEN_while_the_kernel_reports_FREEZING()
    {
        var dir = _fs.Seed("freezer", ("freezer.state", "THAWED\n"));
        var reads = 0;
        _fs.ReadOverride = _ => ++reads < 3 ? "FREEZING\n" : "FROZEN\n";

        FreezerV1.Freeze(dir);

        Assert.Equal(["FROZEN", "FROZEN", "FROZEN"], _fs.Writes.Select(w => w.Value));
        Assert.True(FreezerV1.IsFrozen(dir));
    }

    [Fact]
    public void A_freeze_that_never_completes_thaws_back_and_fails()
    {
        var dir = _fs.Seed("freezer", ("freezer.state", "THAWED\n"));
        _fs.ReadOverride = _ => "FREEZING\n";

        var error = Assert.Throws<CgroupException>(() => FreezerV1.Freeze(dir));

        Assert.Contains("still FREEZING", error.Message);
        Assert.Equal("THAWED", _fs.Writes[^1].Value);
    }

    [Fact]
    public void Thaw_writes_THAWED()
    {
        var dir = _fs.Seed("freezer", ("freezer.state", "FROZEN\n"));

        FreezerV1.Thaw(dir);

        Assert.False(FreezerV1.IsFrozen(dir));
        Assert.Equal("THAWED", _fs.Content(dir, "freezer.state"));
    }

    public void Dispose() => _fs.Dispose();
}
