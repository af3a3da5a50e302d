using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups.V1;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class DevicesV1Tests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    [Theory]
    [InlineData("c", 1L, 3L, "rwm", "c 1:3 rwm")]
    [InlineData("b", 8L, null, "r", "b 8:* r")]
    [InlineData("c", null, null, null, "c *:* rwm")]
    [InlineData(null, null, null, "rwm", "a *:* rwm")]
    [InlineData("c", -1L, 5L, "w", "c *:5 w")]
    public void Rules_format_as_the_kernel_reads_them(string? type, long? major, long? minor, string? access, string expected) =>
        Assert.Equal(expected, DevicesV1.Format(new LinuxDeviceCgroup { Type = type, Major = major, Minor = minor, Access = access }));

    [Fact]
    public void Rules_are_written_in_order_after_the_deny_all_that_starts_the_list()
    {
        var dir = _fs.Seed("devices", ("devices.allow", ""), ("devices.deny", ""));

        DevicesV1.Set(dir,
        [
            new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 3, Access = "w" },
        ]);

        Assert.Equal(
            [("devices.deny", "a *:* rwm"), ("devices.allow", "c 1:3 rwm"), ("devices.deny", "c 1:3 w")],
            _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Fact]
    public void A_list_without_a_leading_wildcard_starts_from_deny_all()
    {
        var dir = _fs.Seed("devices", ("devices.allow", ""), ("devices.deny", ""));

        DevicesV1.Set(dir, [new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 5, Access = "rwm" }]);

        Assert.Equal(
            [("devices.deny", "a"), ("devices.allow", "c 1:5 rwm")],
            _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Fact]
    public void An_allow_all_first_rule_is_written_as_is()
    {
        var dir = _fs.Seed("devices", ("devices.allow", ""), ("devices.deny", ""));

        DevicesV1.Set(dir, [new LinuxDeviceCgroup { Allow = true, Type = "a" }]);

        Assert.Equal([("devices.allow", "a *:* rwm")], _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    public void Dispose() => _fs.Dispose();
}
