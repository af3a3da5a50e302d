using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Engine.System;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>Limits the host cannot apply are discarded with Docker's warnings; what it can is read from its cgroupfs.</summary>
public sealed class UnsupportedResourcesTests : IDisposable
{
    private const string NoBlkioWeight = "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.";
    private readonly OciFixture _fx = new();
    private readonly string _cgroupRoot = Directory.CreateTempSubdirectory("berth-cgroupfs-").FullName;

    [Fact]
    public void A_blkio_weight_the_host_cannot_apply_is_discarded_with_dockers_warning()
    {
        var input = _fx.Input(host: new HostConfig { Resources = new Resources { BlkioWeight = 300, Memory = 64 << 20 } }) with
        {
            Host = OciFixture.Host with { Cgroups = KernelFeatures.All with { BlkioWeight = false } },
        };

        Assert.Equal([NoBlkioWeight], SpecBuilder.Validate(input));
        var resources = SpecBuilder.Build(input).Linux!.Resources!;
        Assert.Null(resources.BlockIO?.Weight);
        Assert.Equal(64L << 20, resources.Memory!.Limit); // the rest stays
    }

    [Fact]
    public void A_supported_blkio_weight_is_kept_without_a_warning()
    {
        var input = _fx.Input(host: new HostConfig { Resources = new Resources { BlkioWeight = 300 } });

        Assert.Empty(SpecBuilder.Validate(input));
        Assert.Equal((ushort)300, SpecBuilder.Build(input).Linux!.Resources!.BlockIO!.Weight);
    }

    [Fact]
    public void Without_swap_accounting_memory_is_limited_without_swap()
    {
        var warnings = new List<string>();
        var r = UnsupportedResources.Discard(new Resources { Memory = 64 << 20 }, KernelFeatures.All with { SwapLimit = false }, warnings);

        Assert.Equal((64L << 20, -1L), (r.Memory, r.MemorySwap));
        Assert.Equal(["Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap."], warnings);
        Assert.Null(ResourceLimits.ToOci(r, _ => (0, 0)).Memory!.Swap);
    }

    [Fact]
    public void Each_missing_controller_discards_its_limits()
    {
        var none = new KernelFeatures
        {
            MemoryLimit = false, SwapLimit = false, MemoryReservation = false, PidsLimit = false, CpuShares = false,
            CpuCfsPeriod = false, CpuCfsQuota = false, Cpuset = false, BlkioWeight = false,
        };
        var warnings = new List<string>();
        var r = UnsupportedResources.Discard(new Resources
        {
            Memory = 64 << 20, MemoryReservation = 32 << 20, PidsLimit = 10, CpuShares = 512, CpuPeriod = 50_000, CpuQuota = 25_000,
            CpusetCpus = "0", BlkioWeight = 300,
        }, none, warnings);

        var expected = new Resources { MemorySwap = -1, CpusetCpus = "", CpusetMems = "" };
        Assert.Equal(expected, r with { Ulimits = expected.Ulimits });
        Assert.Equal(8, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith("Your kernel does not support ", w));
        Assert.Equal("NanoCPUs can not be set, as your kernel does not support CPU cfs period/quota or the cgroup is not mounted",
            OciFixture.Invalid(() => UnsupportedResources.Discard(new Resources { NanoCpus = 1_000_000_000 }, none, [])).Message);
    }

    [Fact]
    public void A_v1_host_without_a_weight_file_has_no_blkio_weight()
    {
        var layout = V1Layout(("blkio", ["blkio.throttle.read_bps_device"]), ("memory", ["memory.soft_limit_in_bytes"]), ("cpu", ["cpu.shares"]));

        var features = KernelFeatures.Read(layout);

        Assert.False(features.BlkioWeight);
        Assert.Equal((true, false, true), (features.MemoryLimit, features.SwapLimit, features.MemoryReservation));
        Assert.Equal((true, false, false), (features.CpuShares, features.CpuCfsQuota, features.PidsLimit));
        Assert.Equal(["WARNING: No swap limit support", "WARNING: No cpu cfs quota support", "WARNING: No cpu cfs period support",
            "WARNING: No cpuset support", "WARNING: No blkio weight support"], features.Warnings(v2: false));
    }

    [Theory]
    [InlineData("blkio.weight")]
    [InlineData("blkio.bfq.weight")]
    public void A_v1_host_with_cfq_or_bfq_has_blkio_weight(string file)
    {
        Assert.True(KernelFeatures.Read(V1Layout(("blkio", [file]))).BlkioWeight);
    }

    [Fact]
    public void A_v2_host_offers_what_its_root_lists_in_cgroup_controllers()
    {
        File.WriteAllText(Path.Join(_cgroupRoot, "cgroup.controllers"), "cpuset cpu memory pids\n");

        var features = KernelFeatures.Read(new CgroupLayout([], _cgroupRoot));

        Assert.Equal((true, true, true, true), (features.Cpuset, features.CpuCfsQuota, features.SwapLimit, features.PidsLimit));
        Assert.False(features.BlkioWeight);
        Assert.Equal(["WARNING: No io.weight support"], features.Warnings(v2: true));
    }

    private CgroupLayout V1Layout(params (string Controller, string[] Files)[] hierarchies) =>
        new(hierarchies.Select(h =>
        {
            var mountPoint = Directory.CreateDirectory(Path.Join(_cgroupRoot, h.Controller)).FullName;
            foreach (var file in h.Files) File.WriteAllText(Path.Join(mountPoint, file), "");
            return new CgroupHierarchy(mountPoint, [h.Controller]);
        }), null);

    public void Dispose()
    {
        _fx.Dispose();
        Directory.Delete(_cgroupRoot, recursive: true);
    }
}
