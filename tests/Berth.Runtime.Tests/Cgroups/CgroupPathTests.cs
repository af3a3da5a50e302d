using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupPathTests
{
    [Theory]
    [InlineData("/berth/abc", "/berth/abc")]
    [InlineData("berth/abc", "/berth/abc")]
    [InlineData("//berth//abc/", "/berth/abc")]
    [InlineData("/berth/./abc/../def", "/berth/def")]
    [InlineData("../../../etc/abc", "/etc/abc")]
    [InlineData("/a:b:c", "/a:b:c")]
    public void Paths_are_cleaned_and_anchored_at_the_root(string given, string expected) =>
        Assert.Equal(expected, CgroupPath.Normalize(given));

    [Fact]
    public void The_systemd_form_is_refused_naming_the_driver()
    {
        var error = Assert.Throws<CgroupException>(() => CgroupPath.Normalize("system.slice:docker:abc"));

        Assert.Contains("systemd cgroup driver is not supported", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/..")]
    [InlineData("a/..")]
    public void Empty_and_root_paths_are_refused(string given) =>
        Assert.Throws<CgroupException>(() => CgroupPath.Normalize(given));

    [Fact]
    public void The_manager_reports_the_normalised_path()
    {
        var layout = CgroupLayout.Parse("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw");

        Assert.Equal("/berth/x", CgroupManagerFactory.Create("berth/./x", layout).Path);
    }
}
