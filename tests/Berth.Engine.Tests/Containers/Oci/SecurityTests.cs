using Berth.Engine.Containers.Oci;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>Capabilities, --security-opt and seccomp profiles, with Docker's defaults and messages.</summary>
public sealed class SecurityTests
{
    private static readonly List<string> Defaults =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static List<string> Caps(string[] add, string[] drop, bool privileged = false) =>
        DockerCapabilities.Resolve(add, drop, privileged, lastCapability: 40);

    [Fact]
    public void Default_capabilities_are_dockers_fourteen() => Assert.Equal(Defaults, Caps([], []));

    [Fact]
    public void Cap_add_and_drop_take_any_case_with_or_without_the_prefix()
    {
        var caps = Caps(["sys_admin", "CAP_NET_ADMIN"], ["chown", "Cap_Kill"]);
        Assert.Equal([.. Defaults.Where(c => c is not ("CAP_CHOWN" or "CAP_KILL")), "CAP_SYS_ADMIN", "CAP_NET_ADMIN"], caps);
    }

    [Fact]
    public void All_adds_every_capability_but_the_dropped_and_drop_all_keeps_only_the_added()
    {
        var all = Caps(["ALL"], ["sys_admin"]);
        Assert.Equal(40, all.Count);
        Assert.DoesNotContain("CAP_SYS_ADMIN", all);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], Caps(["net_bind_service"], ["all"]));
    }

    [Fact]
    public void Privileged_gets_every_capability_the_kernel_knows()
    {
        Assert.Equal(41, Caps([], [], privileged: true).Count);
        Assert.Equal(38, DockerCapabilities.Resolve([], [], true, lastCapability: 37).Count);
    }

    [Fact]
    public void Unknown_capabilities_are_refused_with_dockers_message()
    {
        Assert.Equal("unknown capability: \"CAP_BOGUS\"", OciFixture.Invalid(() => Caps(["bogus"], [])).Message);
        Assert.Equal("capability not supported by your kernel or not available in the current environment: \"CAP_BPF\"",
            OciFixture.Invalid(() => DockerCapabilities.Resolve(["bpf"], [], false, lastCapability: 37)).Message);
    }

    [Theory]
    [InlineData("no-new-privileges", true)]
    [InlineData("no-new-privileges:true", true)]
    [InlineData("no-new-privileges=true", true)]
    [InlineData("no-new-privileges=1", true)]
    [InlineData("no-new-privileges:false", false)]
    [InlineData("apparmor=unconfined", false)]
    [InlineData("label=disable", false)]
    [InlineData("label:disable", false)]
    public void Security_options_accepted(string option, bool noNewPrivileges) =>
        Assert.Equal(noNewPrivileges, SecurityOptions.Parse([option], OciFixture.Host).NoNewPrivileges);

    [Fact]
    public void Security_options_refused_with_clear_messages()
    {
        Assert.Equal("invalid --security-opt 1: \"bogus\"", OciFixture.Invalid(() => SecurityOptions.Parse(["bogus"], OciFixture.Host)).Message);
        Assert.Equal("invalid --security-opt 2: \"no-new-privileges=maybe\"", OciFixture.Invalid(() => SecurityOptions.Parse(["no-new-privileges=maybe"], OciFixture.Host)).Message);
        Assert.Equal("invalid --security-opt 2: \"foo=bar\"", OciFixture.Invalid(() => SecurityOptions.Parse(["foo=bar"], OciFixture.Host)).Message);
        Assert.Contains("AppArmor is not supported", OciFixture.Invalid(() => SecurityOptions.Parse(["apparmor=docker-default"], OciFixture.Host with { AppArmor = true })).Message);
        Assert.Contains("SELinux labels are not supported", OciFixture.Invalid(() => SecurityOptions.Parse(["label=type:svirt_t"], OciFixture.Host with { SeLinux = true })).Message);
    }

    [Fact]
    public void Seccomp_option_carries_unconfined_or_a_profile()
    {
        Assert.Equal("unconfined", SecurityOptions.Parse(["seccomp=unconfined"], OciFixture.Host).SeccompProfile);
        Assert.Equal("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", SecurityOptions.Parse(["seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"], OciFixture.Host).SeccompProfile);
    }

    private static LinuxSeccomp Default(IEnumerable<string>? caps = null, string arch = "amd64", KernelVersion? kernel = null) =>
        DefaultSeccompProfile.Profile.Render([.. caps ?? Defaults], arch, kernel ?? new KernelVersion(6, 1))!;

    /// <summary>What the filter does for a call whose arguments are <paramref name="args"/> (libseccomp's semantics).</summary>
    private static bool Allows(LinuxSeccomp filter, string name, params ulong[] args) =>
        filter.Syscalls!.Any(r => r.Action == "SCMP_ACT_ALLOW" && r.Names.Contains(name) && (r.Args ?? []).All(a => Matches(a, args)));

    private static bool Matches(LinuxSeccompArg a, ulong[] args)
    {
        var v = a.Index < args.Length ? args[a.Index] : 0;
        return a.Op switch
        {
            "SCMP_CMP_EQ" => v == a.Value, "SCMP_CMP_LT" => v < a.Value, "SCMP_CMP_GT" => v > a.Value,
            "SCMP_CMP_MASKED_EQ" => (v & a.Value) == a.ValueTwo, _ => throw new InvalidOperationException(a.Op),
        };
    }

    [Fact]
    public void Default_profile_denies_with_eperm_on_amd64_x86_and_x32()
    {
        var filter = Default();
        Assert.Equal("SCMP_ACT_ERRNO", filter.DefaultAction);
        Assert.Equal(1u, filter.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], filter.Architectures!);
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], Default(arch: "arm64").Architectures!);
    }

    [Fact]
    public void Default_profile_allows_ordinary_calls_and_plain_clone()
    {
        var filter = Default();
        foreach (var call in new[] { "mkdir", "openat", "execve", "arch_prctl", "modify_ldt", "chroot", "ptrace" }) Assert.True(Allows(filter, call), call);
        Assert.True(Allows(filter, "clone", 0x01200011)); // fork's flags: SIGCHLD|CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID
        Assert.False(Allows(filter, "clone", 0x20000000)); // CLONE_NEWPID
        Assert.True(Allows(filter, "socket", 2));  // AF_INET
        Assert.False(Allows(filter, "socket", 38)); // AF_ALG
        Assert.True(Allows(filter, "socket", 39));
        Assert.False(Allows(filter, "socket", 40)); // AF_VSOCK
        Assert.True(Allows(filter, "personality", 0xffffffff));
        Assert.False(Allows(filter, "personality", 0x0040000)); // ADDR_NO_RANDOMIZE
        var clone3 = Assert.Single(filter.Syscalls!, r => r.Names.Contains("clone3"));
        Assert.Equal(("SCMP_ACT_ERRNO", 38u), (clone3.Action, clone3.ErrnoRet!.Value));
    }

    [Fact]
    public void Default_profile_grants_privileged_calls_only_with_their_capability()
    {
        var filter = Default();
        foreach (var call in new[] { "mount", "unshare", "setns", "reboot", "init_module", "bpf", "swapcontext", "s390_runtime_instr" })
            Assert.False(Allows(filter, call), call);

        var admin = Default([.. Defaults, "CAP_SYS_ADMIN", "CAP_SYS_BOOT"]);
        Assert.True(Allows(admin, "mount"));
        Assert.True(Allows(admin, "unshare"));
        Assert.True(Allows(admin, "reboot"));
        Assert.True(Allows(admin, "clone", 0x20000000));
        Assert.DoesNotContain(admin.Syscalls!, r => r.Names.Contains("clone3") && r.Action != "SCMP_ACT_ALLOW");

        Assert.False(Allows(Default(Defaults.Where(c => c != "CAP_SYS_CHROOT")), "chroot"));
    }

    [Fact]
    public void Ptrace_needs_cap_sys_ptrace_before_kernel_4_8()
    {
        Assert.True(Allows(Default(kernel: new KernelVersion(4, 8)), "ptrace"));
        Assert.False(Allows(Default(kernel: new KernelVersion(4, 4)), "ptrace"));
        Assert.True(Allows(Default([.. Defaults, "CAP_SYS_PTRACE"], kernel: new KernelVersion(4, 4)), "ptrace"));
        Assert.False(Allows(Default(), "kcmp"));
    }

    [Fact]
    public void A_custom_profile_in_dockers_format_is_resolved_for_the_container()
    {
        const string json = """
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "archMap": [{ "architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"] }],
              "syscalls": [
                { "name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["chmod"], "action": "SCMP_ACT_ERRNO", "excludes": { "caps": ["CAP_FOWNER"] } },
                { "names": ["kexec_load"], "action": "SCMP_ACT_KILL", "includes": { "minKernel": "7.0" } },
                { "names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{ "index": 0, "value": 8, "op": "SCMP_CMP_EQ" }] }
              ]
            }
            """;
        var filter = DockerSeccompProfileJson.Parse(json).Render(Defaults, "amd64", new KernelVersion(6, 1))!;
        Assert.Equal("SCMP_ACT_ALLOW", filter.DefaultAction);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], filter.Architectures!);
        Assert.Equal(["mkdir", "personality"], filter.Syscalls!.Select(s => s.Names[0]));
        Assert.Equal(13u, filter.Syscalls![0].ErrnoRet);
        Assert.Equal(8ul, filter.Syscalls![1].Args![0].Value);
    }

    [Fact]
    public void Malformed_profiles_are_refused()
    {
        Assert.StartsWith("Decoding seccomp profile failed:", OciFixture.Invalid(() => DockerSeccompProfileJson.Parse("{not json")).Message);
        Assert.Equal("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'",
            OciFixture.Invalid(() => DockerSeccompProfileJson.Parse("""{"syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}""")).Message);
        var both = DockerSeccompProfileJson.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}""");
        Assert.StartsWith("both 'architectures' and 'archMap'", OciFixture.Invalid(() => both.Render(Defaults, "amd64", new KernelVersion(6, 1))).Message);
    }
}
