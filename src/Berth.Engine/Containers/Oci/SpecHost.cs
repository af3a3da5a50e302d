using System.Runtime.InteropServices;
using OsArch = System.Runtime.InteropServices.Architecture;
using Berth.Linux.Capabilities;
using Berth.Oci.Runtime;
using Berth.Engine.System;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// What the spec depends on in the host: CPUs, kernel version and capabilities, architecture, cgroup mode, its devices
/// and sysctls. <see cref="Current"/> reads this machine; tests give fixed values.
/// </summary>
public sealed record SpecHost
{
    public int Cpus { get; init; } = Environment.ProcessorCount;

    /// <summary>Kernel version and major revision ("6.1" of 6.1.0-18-amd64): what seccomp's minKernel compares.</summary>
    public required KernelVersion Kernel { get; init; }

    /// <summary>The highest capability number the kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public int LastCapability { get; init; } = (int)CapabilityNames.Last;

    /// <summary>libseccomp's name of the native architecture ("amd64", "arm64"), as the profiles' arches filter says it.</summary>
    public string Architecture { get; init; } = NativeArchitecture();

    /// <summary>The host's own hostname, a <c>--network host</c> container's default.</summary>
    public string Hostname { get; init; } = "";

    /// <summary>True on a pure cgroup v2 host.</summary>
    public bool UnifiedCgroups { get; init; }

    /// <summary>What the host's cgroups can limit; what they cannot is discarded with a warning.</summary>
    public KernelFeatures Cgroups { get; init; } = KernelFeatures.All;

    /// <summary>Whether <c>/proc/sys/&lt;name with dots as slashes&gt;</c> exists (Docker adds two network sysctls only if so).</summary>
    public Func<string, bool> SysctlExists { get; init; } = _ => true;

    /// <summary>Paths to mask besides Docker's fixed list (the per-CPU thermal_throttle directories that exist).</summary>
    public IReadOnlyList<string> ExtraMaskedPaths { get; init; } = [];

    /// <summary>The host's device nodes, for <c>--privileged</c>.</summary>
    public Func<IReadOnlyList<LinuxDevice>> Devices { get; init; } = () => [];

    /// <summary><c>--device</c>: the node at a host path (or the nodes under a directory), named for the container.</summary>
    public Func<string, string, IReadOnlyList<LinuxDevice>> DevicesAt { get; init; } = CustomDevices.FromPath;

    /// <summary>The major and minor numbers of a block device given by its host path (the blkio device limits).</summary>
    public Func<string, (long Major, long Minor)> DeviceNumber { get; init; } = DeviceNumberOf;

    /// <summary>Whether the kernel runs AppArmor or SELinux: Docker ignores their options on a host without them.</summary>
    public bool AppArmor { get; init; }
    public bool SeLinux { get; init; }

    private static readonly Lazy<SpecHost> Detected = new(Detect);

    public static SpecHost Current => Detected.Value;

    public static SpecHost Detect()
    {
        var cgroups = CgroupLayout.Detect("/proc/self/mountinfo");
        return new SpecHost
        {
            Kernel = KernelVersion.Parse(ReadTrimmed("/proc/sys/kernel/osrelease")),
            LastCapability = KernelCapabilities.LastCap(),
            Hostname = ReadTrimmed("/proc/sys/kernel/hostname"),
            UnifiedCgroups = cgroups.Mode == CgroupMode.V2,
            Cgroups = KernelFeatures.Read(cgroups),
            SysctlExists = name => File.Exists("/proc/sys/" + name.Replace('.', '/')),
            ExtraMaskedPaths = ThermalThrottlePaths(),
            Devices = () => HostDevices.Read("/dev"),
            AppArmor = ReadTrimmed("/sys/module/apparmor/parameters/enabled") == "Y",
            SeLinux = File.Exists("/sys/fs/selinux/enforce"),
        };
    }

    /// <summary>As moby's getBlkioThrottleDevices: stat (following links), then the device's numbers.</summary>
    public static (long Major, long Minor) DeviceNumberOf(string path)
    {
        var resolved = File.Exists(path) || Directory.Exists(path) ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path : path;
        var status = Berth.Linux.FileStatus.TryGet(resolved)
            ?? throw new EngineException(ErrorKind.InvalidArgument, $"stat {path}: no such file or directory");
        return (status.RdevMajor, status.RdevMinor);
    }

    public static string NativeArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        OsArch.X64 => "amd64",
        OsArch.X86 => "x86",
        OsArch.Arm64 => "arm64",
        OsArch.Arm => "arm",
        OsArch.S390x => "s390x",
        OsArch.Ppc64le => "ppc64le",
        OsArch.RiscV64 => "riscv64",
        OsArch.LoongArch64 => "loongarch64",
        var other => other.ToString().ToLowerInvariant(),
    };

    // GHSA-6fw5-f8r9-fgfm: Docker masks each possible CPU's thermal_throttle directory that exists.
    private static List<string> ThermalThrottlePaths()
    {
        var paths = new List<string>();
        for (var cpu = 0; cpu < Environment.ProcessorCount; cpu++)
        {
            var path = $"/sys/devices/system/cpu/cpu{cpu}/thermal_throttle";
            if (Directory.Exists(path)) paths.Add(path);
        }
        return paths;
    }

    private static string ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}

/// <summary>A kernel's version and major revision; distribution suffixes and minor revisions are ignored, as Docker does.</summary>
public readonly record struct KernelVersion(int Kernel, int Major) : IComparable<KernelVersion>
{
    /// <summary>"6.1.0-18-amd64" → 6.1; an unreadable release is 0.0.</summary>
    public static KernelVersion Parse(string release)
    {
        var parts = release.Split('.', 3);
        return parts.Length >= 2 && int.TryParse(parts[0], out var kernel) && int.TryParse(LeadingDigits(parts[1]), out var major)
            ? new KernelVersion(kernel, major)
            : default;
    }

    public int CompareTo(KernelVersion other) => Kernel != other.Kernel ? Kernel.CompareTo(other.Kernel) : Major.CompareTo(other.Major);

    public static bool operator >=(KernelVersion a, KernelVersion b) => a.CompareTo(b) >= 0;
    public static bool operator <=(KernelVersion a, KernelVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >(KernelVersion a, KernelVersion b) => a.CompareTo(b) > 0;
    public static bool operator <(KernelVersion a, KernelVersion b) => a.CompareTo(b) < 0;

    public override string ToString() => $"{Kernel}.{Major}";

    private static string LeadingDigits(string s) => new(s.TakeWhile(char.IsAsciiDigit).ToArray());
}
