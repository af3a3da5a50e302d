using Berth.Engine.Containers.Oci;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>The facts read from this machine, and the device walk a privileged container gets.</summary>
public sealed class SpecHostTests
{
    [Fact]
    public void This_host_is_detected()
    {
        var host = SpecHost.Detect();
        Assert.True(host.Kernel > new KernelVersion(3, 0));
        Assert.True(host.LastCapability >= 36);
        Assert.NotEmpty(host.Hostname);
    }

    [Fact]
    public void Host_devices_list_char_devices_with_their_numbers_and_skip_pts_and_console()
    {
        var devices = HostDevices.Read("/dev");
        var nul = Assert.Single(devices, d => d.Path == "/dev/null");
        Assert.Equal(("c", 1L, 3L), (nul.Type, nul.Major, nul.Minor));
        Assert.DoesNotContain(devices, d => d.Path.StartsWith("/dev/pts/", StringComparison.Ordinal) || d.Path == "/dev/console");
    }

    [Theory]
    [InlineData("6.1.0-18-amd64", 6, 1)]
    [InlineData("3.12-1-amd64", 3, 12)]
    [InlineData("5.15.0", 5, 15)]
    [InlineData("junk", 0, 0)]
    public void Kernel_versions_keep_version_and_major_revision(string release, int kernel, int major) =>
        Assert.Equal(new KernelVersion(kernel, major), KernelVersion.Parse(release));
}
