using Berth.Runtime.Cgroups;

namespace Berth.Engine.System;

/// <summary>What the daemon reports about the machine it runs on; read from the given proc and etc roots.</summary>
public sealed record HostFacts(
    string Hostname, string KernelVersion, string OperatingSystem, string OsVersion, string Architecture, int Cpus,
    long MemoryBytes, string CgroupVersion, KernelFeatures Cgroups, bool Ipv4Forwarding)
{
    public static HostFacts Read(string procRoot = "/proc", string etcRoot = "/etc")
    {
        var osRelease = ReadOsRelease(Path.Combine(etcRoot, "os-release"));
        var layout = CgroupLayout.Detect(Path.Combine(procRoot, "self", "mountinfo"));
        return new HostFacts(
            Hostname: ReadLine(Path.Combine(procRoot, "sys/kernel/hostname")),
            KernelVersion: ReadLine(Path.Combine(procRoot, "sys/kernel/osrelease")),
            OperatingSystem: osRelease.GetValueOrDefault("PRETTY_NAME", "Linux"),
            OsVersion: osRelease.GetValueOrDefault("VERSION_ID", ""),
            Architecture: global::System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
            {
                global::System.Runtime.InteropServices.Architecture.X64 => "x86_64",
                global::System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
                var other => other.ToString().ToLowerInvariant(),
            },
            Cpus: Environment.ProcessorCount,
            MemoryBytes: ReadMemTotal(Path.Combine(procRoot, "meminfo")),
            CgroupVersion: layout.Mode == CgroupMode.V2 ? "2" : "1",
            Cgroups: KernelFeatures.Read(layout),
            Ipv4Forwarding: ReadLine(Path.Combine(procRoot, "sys/net/ipv4/ip_forward")) == "1");
    }

    private static string ReadLine(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "";

    private static long ReadMemTotal(string meminfo)
    {
        foreach (var line in File.ReadLines(meminfo))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        return 0;
    }

    private static Dictionary<string, string> ReadOsRelease(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim('"'))
            : [];
}
