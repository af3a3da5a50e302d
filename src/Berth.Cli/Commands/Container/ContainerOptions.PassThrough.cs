using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// The flags docker sends for the daemon to decide on (OCI annotations, real-time CPU limits, the volume driver,
/// isolation, kernel memory), and the Windows-only CPU and IO limits, which docker hides and refuses itself when
/// the daemon runs on Linux, as berthd always does.
/// </summary>
internal sealed partial class ContainerOptions
{
    public Dictionary<string, string> Annotations { get; } = new(StringComparer.Ordinal);
    public long CpuRealtimePeriod { get; private set; }
    public long CpuRealtimeRuntime { get; private set; }
    public string VolumeDriver { get; private set; } = "";
    public string Isolation { get; private set; } = "";
    public long KernelMemory { get; private set; }

    private void ConfigurePassThroughFlags(FlagSet flags)
    {
        flags.String("annotation", null, "Add an annotation to the container (passed through to the OCI runtime)", Annotation, "map[]").ValueTypeIs("map");
        flags.Long("cpu-rt-period", null, "Limit CPU real-time period in microseconds", v => CpuRealtimePeriod = v);
        flags.Long("cpu-rt-runtime", null, "Limit CPU real-time runtime in microseconds", v => CpuRealtimeRuntime = v);
        flags.String("volume-driver", null, "Optional volume driver for the container", v => VolumeDriver = v);
        flags.String("isolation", null, "Container isolation technology", v => Isolation = v);
        flags.String("kernel-memory", null, "Kernel memory limit", v => KernelMemory = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.Long("cpu-count", null, "CPU count (Windows only)", _ => { }).UnsupportedBecause(DaemonSupport.WindowsOnly);
        flags.Long("cpu-percent", null, "CPU percent (Windows only)", _ => { }).UnsupportedBecause(DaemonSupport.WindowsOnly);
        flags.String("io-maxbandwidth", null, "Maximum IO bandwidth limit for the system drive (Windows only)", v => ValueParsers.RamInBytes(v))
            .ValueTypeIs("bytes").UnsupportedBecause(DaemonSupport.WindowsOnly);
        flags.String("io-maxiops", null, "Maximum IOps limit for the system drive (Windows only)", v =>
        {
            if (!ulong.TryParse(v, out _)) throw new FormatException($"strconv.ParseUint: parsing \"{v}\": invalid syntax");
        }).ValueTypeIs("uint").UnsupportedBecause(DaemonSupport.WindowsOnly);
        flags.Bool("disable-content-trust", null, "Skip image verification", _ => { }, "true"); // Berth verifies no signatures: nothing to skip
    }

    /// <summary><c>KEY=VALUE</c>; a key alone gets an empty value, as docker's map option gives it.</summary>
    private void Annotation(string value)
    {
        var eq = value.IndexOf('=');
        Annotations[eq < 0 ? value : value[..eq]] = eq < 0 ? "" : value[(eq + 1)..];
    }

    private void ApplyPassThroughFlags(HostConfig host)
    {
        if (Annotations.Count > 0) host.Annotations = new Dictionary<string, string>(Annotations);
        host.CpuRealtimePeriod = CpuRealtimePeriod;
        host.CpuRealtimeRuntime = CpuRealtimeRuntime;
        host.VolumeDriver = VolumeDriver;
        host.Isolation = Isolation;
        host.KernelMemory = KernelMemory;
    }
}
