namespace Berth.Linux.Capabilities;

/// <summary>The Linux capabilities (<c>linux/capability.h</c>), by bit number.</summary>
public enum Capability
{
    Chown = 0,
    DacOverride = 1,
    DacReadSearch = 2,
    Fowner = 3,
    Fsetid = 4,
    Kill = 5,
    Setgid = 6,
    Setuid = 7,
    Setpcap = 8,
    LinuxImmutable = 9,
    NetBindService = 10,
    NetBroadcast = 11,
    NetAdmin = 12,
    NetRaw = 13,
    IpcLock = 14,
    IpcOwner = 15,
    SysModule = 16,
    SysRawio = 17,
    SysChroot = 18,
    SysPtrace = 19,
    SysPacct = 20,
    SysAdmin = 21,
    SysBoot = 22,
    SysNice = 23,
    SysResource = 24,
    SysTime = 25,
    SysTtyConfig = 26,
    Mknod = 27,
    Lease = 28,
    AuditWrite = 29,
    AuditControl = 30,
    Setfcap = 31,
    MacOverride = 32,
    MacAdmin = 33,
    Syslog = 34,
    WakeAlarm = 35,
    BlockSuspend = 36,
    AuditRead = 37,
    Perfmon = 38,
    Bpf = 39,
    CheckpointRestore = 40,
}

/// <summary>The kernel's names of the capabilities ("CAP_NET_RAW"), the ones OCI and Docker use.</summary>
public static class CapabilityNames
{
    /// <summary>The highest capability this table knows; a newer kernel may know more (see <see cref="KernelCapabilities.LastCap"/>).</summary>
    public const Capability Last = Capability.CheckpointRestore;

    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    private static readonly Dictionary<string, Capability> ByName = BuildIndex();

    /// <summary>Every capability this table knows, in bit order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>"CAP_NET_RAW" for <see cref="Capability.NetRaw"/>; "CAP_41" for a bit this table does not name.</summary>
    public static string Name(Capability capability) =>
        (uint)capability < (uint)Names.Length ? Names[(int)capability] : $"CAP_{(int)capability}";

    /// <summary>Parses "CAP_NET_RAW" (case-insensitive; the CAP_ prefix is required, as in OCI and runc).</summary>
    public static bool TryParse(string name, out Capability capability) => ByName.TryGetValue(name, out capability);

    private static Dictionary<string, Capability> BuildIndex()
    {
        var index = new Dictionary<string, Capability>(Names.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Names.Length; i++) index.Add(Names[i], (Capability)i);
        return index;
    }
}
