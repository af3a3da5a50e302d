namespace Berth.Oci.Runtime;

/// <summary>What a runtime supports (runtime-spec <c>features.md</c>).</summary>
public sealed class Features
{
    public string OciVersionMin { get; set; } = SpecVersion.Minimum;
    public string OciVersionMax { get; set; } = SpecVersion.Current;
    public List<string> Hooks { get; set; } = [];
    public List<string> MountOptions { get; set; } = [];
    public LinuxFeatures Linux { get; set; } = new();
    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class LinuxFeatures
{
    public List<string> Namespaces { get; set; } = [];
    public List<string> Capabilities { get; set; } = [];
    public CgroupFeatures Cgroup { get; set; } = new();
    public SeccompFeatures Seccomp { get; set; } = new();
    public EnabledFeature Apparmor { get; set; } = new();
    public EnabledFeature Selinux { get; set; } = new();
}

public sealed class CgroupFeatures
{
    public bool V1 { get; set; }
    public bool V2 { get; set; }
    public bool Systemd { get; set; }
    public bool SystemdUser { get; set; }
}

public sealed class SeccompFeatures
{
    public bool Enabled { get; set; }
    public List<string> Actions { get; set; } = [];
    public List<string> Operators { get; set; } = [];
    public List<string> Archs { get; set; } = [];
    public List<string> KnownFlags { get; set; } = [];
    public List<string> SupportedFlags { get; set; } = [];
}

public sealed class EnabledFeature
{
    public bool Enabled { get; set; }
}
