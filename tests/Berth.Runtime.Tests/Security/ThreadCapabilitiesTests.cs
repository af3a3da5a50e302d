using Berth.Linux.Capabilities;

namespace Berth.Runtime.Tests.Security;

public class ThreadCapabilitiesTests
{
    [Fact]
    public void Capget_reports_what_proc_reports_for_the_thread()
    {
        var (state, eff, prm, inh) = DedicatedThread.Run(() => (
            ThreadCapabilities.Get(),
            DedicatedThread.StatusMask("CapEff"),
            DedicatedThread.StatusMask("CapPrm"),
            DedicatedThread.StatusMask("CapInh")));

        Assert.Equal(eff, state.Effective.Mask);
        Assert.Equal(prm, state.Permitted.Mask);
        Assert.Equal(inh, state.Inheritable.Mask);
    }

    [Fact]
    public void The_bounding_set_read_bit_by_bit_matches_proc()
    {
        var (bounding, proc) = DedicatedThread.Run(() => (Bounding.Read(), DedicatedThread.StatusMask("CapBnd")));

        Assert.Equal(proc, bounding.Mask);
        Assert.False(Bounding.Contains((Capability)63));
    }

    [Fact]
    public void The_last_capability_comes_from_proc_or_from_probing()
    {
        var kernel = KernelCapabilities.LastCap();
        var fake = Directory.CreateTempSubdirectory("berth-proc-");
        try
        {
            Directory.CreateDirectory(Path.Combine(fake.FullName, "sys", "kernel"));

            Assert.Equal(kernel, KernelCapabilities.LastCap(fake.FullName));

            File.WriteAllText(Path.Combine(fake.FullName, "sys", "kernel", "cap_last_cap"), "37\n");
            Assert.Equal(37, KernelCapabilities.LastCap(fake.FullName));
            Assert.Equal(CapabilitySet.UpTo(37), KernelCapabilities.Supported(fake.FullName));
        }
        finally
        {
            fake.Delete(recursive: true);
        }
        Assert.InRange(kernel, 36, 63);
    }

    [Fact]
    public void No_new_privileges_and_keepcaps_are_per_thread()
    {
        var (before, after, keep) = DedicatedThread.Run(() =>
        {
            var was = NoNewPrivileges.Get();
            NoNewPrivileges.Set();
            KeepCaps.Set(true);
            return (was, NoNewPrivileges.Get() && DedicatedThread.StatusField("NoNewPrivs") == "1", KeepCaps.Get());
        });

        Assert.False(before);
        Assert.True(after);
        Assert.True(keep);
        Assert.False(DedicatedThread.Run(NoNewPrivileges.Get));
        Assert.False(DedicatedThread.Run(KeepCaps.Get));
    }
}
