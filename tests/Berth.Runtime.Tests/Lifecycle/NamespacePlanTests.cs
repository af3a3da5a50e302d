using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Tests.Lifecycle;

public sealed class NamespacePlanTests
{
    private static Spec With(params LinuxNamespace[] namespaces) => new() { Linux = new Oci.Runtime.Linux { Namespaces = [.. namespaces] } };

    [Fact]
    public void New_namespaces_become_clone_flags_and_paths_are_joined()
    {
        var plan = NamespacePlan.From(With(new() { Type = "mount" }, new() { Type = "pid" }, new() { Type = "network", Path = "/proc/1/ns/net" }));
        Assert.Equal(CloneFlags.NewNs | CloneFlags.NewPid, plan.New);
        Assert.Equal((CloneFlags.NewNet, "/proc/1/ns/net"), Assert.Single(plan.Join));
        Assert.True(plan.Has(CloneFlags.NewNet));
        Assert.False(plan.Has(CloneFlags.NewUts));
    }

    [Theory]
    [InlineData("bogus", "namespace type \"bogus\" is not supported")]
    [InlineData("user", "user namespaces are not supported by berth-runtime yet")]
    public void Unsupported_namespaces_are_refused_by_name(string type, string message)
    {
        var e = Assert.Throws<RuntimeException>(() => NamespacePlan.From(With(new() { Type = "mount" }, new() { Type = type })));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Duplicates_and_a_missing_mount_namespace_are_refused()
    {
        Assert.Throws<RuntimeException>(() => NamespacePlan.From(With(new() { Type = "mount" }, new() { Type = "pid" }, new() { Type = "pid" })));
        Assert.Throws<RuntimeException>(() => NamespacePlan.From(With(new LinuxNamespace { Type = "pid" })));
        Assert.Throws<RuntimeException>(() => NamespacePlan.From(With(new LinuxNamespace { Type = "mount", Path = "/proc/1/ns/mnt" })));
    }
}
