using System.Text.Json;
using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Init;
using Berth.Runtime.Rootfs;
using Berth.Runtime.Security;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>features</c>: what this runtime implements (runtime-spec features.md).</summary>
public static class FeaturesCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var features = new Features
        {
            Hooks = ["prestart", "createRuntime", "poststart", "poststop"],
            MountOptions = MountOptions.Supported.ToList(),
            Linux = new LinuxFeatures
            {
                Namespaces = NamespacePlan.Supported.ToList(),
                Capabilities = Berth.Linux.Capabilities.CapabilityNames.All.ToList(),
                Cgroup = new CgroupFeatures { V1 = true, V2 = true },
                Seccomp = SeccompSupport.Describe(),
            },
            Annotations = new() { ["org.opencontainers.runc.checkpoint.enabled"] = "false", ["io.github.berth.rlimits"] = string.Join(',', Rlimits.All) },
        };
        Console.WriteLine(JsonSerializer.Serialize(features, OciJsonContext.Default.Features));
        return 0;
    }
}
