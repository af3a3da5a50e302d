using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;

namespace Berth.Runtime.Tests.Security;

public class SeccompProfileTests
{
    private static LinuxSeccomp Profile(string defaultAction, params LinuxSyscall[] syscalls) =>
        new() { DefaultAction = defaultAction, Syscalls = [.. syscalls] };

    private static LinuxSyscall Rule(string action, params string[] names) => new() { Action = action, Names = [.. names] };

    private static int Nr(string name) => SeccompLibrary.TryResolveSyscall(name, out var nr) ? nr : throw new InvalidOperationException(name);

    [Fact]
    public void No_section_or_an_empty_one_means_no_filter()
    {
        Assert.Null(SeccompProfile.FromOci(null));
        Assert.Null(SeccompProfile.FromOci(new LinuxSeccomp()));
    }

    [Fact]
    public void Actions_translate_with_errno_defaulting_to_eperm()
    {
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = 38,
            Syscalls =
            [
                Rule("SCMP_ACT_ALLOW", "read"),
                Rule("SCMP_ACT_ERRNO", "mount"),
                new LinuxSyscall { Action = "SCMP_ACT_ERRNO", ErrnoRet = 13, Names = ["umount2"] },
                Rule("SCMP_ACT_KILL", "reboot"),
                Rule("SCMP_ACT_KILL_THREAD", "kexec_load"),
                Rule("SCMP_ACT_KILL_PROCESS", "init_module"),
                Rule("SCMP_ACT_TRAP", "swapon"),
                Rule("SCMP_ACT_TRACE", "ptrace"),
                Rule("SCMP_ACT_LOG", "acct"),
            ],
        })!;

        Assert.Equal(SeccompAction.Errno(38), profile.DefaultAction);
        Assert.Equal(
            [
                ("read", SeccompAction.Allow), ("mount", SeccompAction.Errno(1)), ("umount2", SeccompAction.Errno(13)),
                ("reboot", SeccompAction.KillThread), ("kexec_load", SeccompAction.KillThread),
                ("init_module", SeccompAction.KillProcess), ("swapon", SeccompAction.Trap),
                ("ptrace", SeccompAction.Trace(1)), ("acct", SeccompAction.Log),
            ],
            profile.Rules.Select(r => (r.Syscall, r.Action)));
        Assert.Equal(Nr("read"), profile.Rules[0].Number);
        Assert.Equal("SCMP_ACT_ERRNO(13)", profile.Rules[2].Action.ToString());
    }

    [Fact]
    public void Every_name_of_a_rule_gets_its_own_rule()
    {
        var profile = SeccompProfile.FromOci(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", "read", "write", "close")))!;

        Assert.Equal(["read", "write", "close"], profile.Rules.Select(r => r.Syscall));
        Assert.All(profile.Rules, r => Assert.Empty(r.Conditions));
    }

    [Fact]
    public void Unknown_syscalls_are_skipped_and_reported()
    {
        var profile = SeccompProfile.FromOci(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", "read", "no_such_syscall", "getpid")))!;

        Assert.Equal(["read", "getpid"], profile.Rules.Select(r => r.Syscall));
        Assert.Equal(["no_such_syscall"], profile.SkippedSyscalls);
    }

    [Fact]
    public void A_rule_with_the_default_action_is_dropped()
    {
        var profile = SeccompProfile.FromOci(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ALLOW", "read"),
            Rule("SCMP_ACT_ERRNO", "mount"),
            new LinuxSyscall { Action = "SCMP_ACT_ERRNO", ErrnoRet = 2, Names = ["umount2"] }))!;

        Assert.Equal(["mount", "umount2"], profile.Rules.Select(r => r.Syscall));

        var errno = SeccompProfile.FromOci(Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ERRNO", "mount"), Rule("SCMP_ACT_ALLOW", "read")))!;
        Assert.Equal(["read"], errno.Rules.Select(r => r.Syscall));
    }

    [Fact]
    public void Conditions_on_distinct_arguments_form_one_rule()
    {
        var profile = SeccompProfile.FromOci(Profile("SCMP_ACT_ERRNO", new LinuxSyscall
        {
            Action = "SCMP_ACT_ALLOW",
            Names = ["socket"],
            Args =
            [
                new LinuxSeccompArg { Index = 0, Value = 2, Op = "SCMP_CMP_EQ" },
                new LinuxSeccompArg { Index = 1, Value = 0x80000, ValueTwo = 0x80000, Op = "SCMP_CMP_MASKED_EQ" },
            ],
        }))!;

        var rule = Assert.Single(profile.Rules);
        Assert.Equal(
            [
                new SeccompCondition(0, SeccompOperator.Equal, 2),
                new SeccompCondition(1, SeccompOperator.MaskedEqual, 0x80000, 0x80000),
            ],
            rule.Conditions);
    }

    [Fact]
    public void Conditions_repeating_an_argument_become_one_rule_each()
    {
        // Docker's personality rule: allow personality(0), personality(8), personality(0x20000), personality(0xffffffff).
        var profile = SeccompProfile.FromOci(Profile("SCMP_ACT_ERRNO", new LinuxSyscall
        {
            Action = "SCMP_ACT_ALLOW",
            Names = ["personality"],
            Args =
            [
                new LinuxSeccompArg { Index = 0, Value = 0, Op = "SCMP_CMP_EQ" },
                new LinuxSeccompArg { Index = 0, Value = 8, Op = "SCMP_CMP_EQ" },
                new LinuxSeccompArg { Index = 1, Value = 3, Op = "SCMP_CMP_LT" },
            ],
        }))!;

        Assert.Equal(
            [
                [new SeccompCondition(0, SeccompOperator.Equal, 0)],
                [new SeccompCondition(0, SeccompOperator.Equal, 8)],
                [new SeccompCondition(1, SeccompOperator.LessThan, 3)],
            ],
            profile.Rules.Select(r => r.Conditions.ToArray()));
    }

    [Theory]
    [InlineData("SCMP_CMP_NE", SeccompOperator.NotEqual)]
    [InlineData("SCMP_CMP_LT", SeccompOperator.LessThan)]
    [InlineData("SCMP_CMP_LE", SeccompOperator.LessOrEqual)]
    [InlineData("SCMP_CMP_EQ", SeccompOperator.Equal)]
    [InlineData("SCMP_CMP_GE", SeccompOperator.GreaterOrEqual)]
    [InlineData("SCMP_CMP_GT", SeccompOperator.GreaterThan)]
    [InlineData("SCMP_CMP_MASKED_EQ", SeccompOperator.MaskedEqual)]
    public void Operators_translate(string name, SeccompOperator op)
    {
        var profile = SeccompProfile.FromOci(Profile("SCMP_ACT_ALLOW", new LinuxSyscall
        {
            Action = "SCMP_ACT_ERRNO",
            Names = ["kill"],
            Args = [new LinuxSeccompArg { Index = 1, Value = 9, ValueTwo = 9, Op = name }],
        }))!;

        Assert.Equal(op, Assert.Single(Assert.Single(profile.Rules).Conditions).Operator);
        using var filter = profile.Compile();
    }

    [Theory]
    [InlineData("SCMP_ACT_BOGUS", "unknown defaultAction \"SCMP_ACT_BOGUS\"")]
    [InlineData("", "unknown defaultAction \"\"")]
    [InlineData("SCMP_ACT_NOTIFY", "SCMP_ACT_NOTIFY cannot be the default action")]
    public void Bad_default_actions_are_refused(string action, string message)
    {
        var e = Assert.Throws<RuntimeException>(() => SeccompProfile.FromOci(Profile(action, Rule("SCMP_ACT_ALLOW", "read"))));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Bad_rules_are_refused_with_a_clear_reason()
    {
        static string Fail(LinuxSyscall rule) =>
            Assert.Throws<RuntimeException>(() => SeccompProfile.FromOci(Profile("SCMP_ACT_ALLOW", rule))).Message;

        Assert.Contains("needs a seccomp listener", Fail(Rule("SCMP_ACT_NOTIFY", "openat")));
        Assert.Contains("unknown action of mount \"SCMP_ACT_DENY\"", Fail(Rule("SCMP_ACT_DENY", "mount")));
        Assert.Contains("empty string is not a valid syscall", Fail(Rule("SCMP_ACT_ERRNO", "")));
        Assert.Contains("errnoRet 70000", Fail(new LinuxSyscall { Action = "SCMP_ACT_ERRNO", ErrnoRet = 70000, Names = ["mount"] }));
        Assert.Contains("argument index 6 of kill", Fail(new LinuxSyscall
        {
            Action = "SCMP_ACT_ERRNO", Names = ["kill"], Args = [new LinuxSeccompArg { Index = 6, Op = "SCMP_CMP_EQ" }],
        }));
        Assert.Contains("unknown operator \"SCMP_CMP_XX\"", Fail(new LinuxSyscall
        {
            Action = "SCMP_ACT_ERRNO", Names = ["kill"], Args = [new LinuxSeccompArg { Index = 0, Op = "SCMP_CMP_XX" }],
        }));
    }

    [Fact]
    public void Architectures_resolve_and_unknown_ones_are_refused()
    {
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            Syscalls = [Rule("SCMP_ACT_ALLOW", "read", "socketcall", "open")],
        })!;
        Assert.Equal([0xC000003Eu, 0x40000003u, 0x4000003Eu], profile.Architectures.Select(a => a.Token));
        using (var filter = profile.Compile())
        {
            Assert.True(filter.HasArchitecture(new SeccompArchitecture(0x40000003)));
        }

        var e = Assert.Throws<RuntimeException>(() => SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW", Architectures = ["SCMP_ARCH_VAX"],
        }));
        Assert.Contains("unknown architecture \"SCMP_ARCH_VAX\"", e.Message);
    }

    [Fact]
    public void Flags_default_to_spec_allow_and_are_checked()
    {
        var implicitFlags = SeccompProfile.FromOci(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW" })!;
        Assert.Equal(SeccompSupport.IsFlagSupported("SECCOMP_FILTER_FLAG_SPEC_ALLOW") ? ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"] : [], implicitFlags.Flags);

        Assert.Empty(SeccompProfile.FromOci(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = [] })!.Flags);

        var log = SeccompProfile.FromOci(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = ["SECCOMP_FILTER_FLAG_LOG"] })!;
        Assert.Equal(["SECCOMP_FILTER_FLAG_LOG"], log.Flags);

        foreach (var flag in new[] { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_BOGUS" })
        {
            var e = Assert.Throws<RuntimeException>(() => SeccompProfile.FromOci(new LinuxSeccomp { DefaultAction = "SCMP_ACT_ALLOW", Flags = [flag] }));
            Assert.Contains($"flag {flag} is not supported", e.Message);
        }
    }

    [Fact]
    public void The_compiled_filter_leaves_no_new_privs_and_thread_sync_to_the_caller()
    {
        using var plain = SeccompProfile.FromOci(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "mount")))!.Compile();
        Assert.Equal(0u, plain.Get(SeccompFilterAttribute.NoNewPrivileges));
        Assert.Equal(0u, plain.Get(SeccompFilterAttribute.ThreadSync));

        using var tsync = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW", Flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG"],
        })!.Compile();
        Assert.Equal(1u, tsync.Get(SeccompFilterAttribute.ThreadSync));
        Assert.Equal(1u, tsync.Get(SeccompFilterAttribute.Log));
        Assert.Equal(0u, tsync.Get(SeccompFilterAttribute.SpecAllow));
    }

    [Fact]
    public void The_compiled_filter_holds_the_rules()
    {
        using var filter = SeccompProfile.FromOci(Profile("SCMP_ACT_ALLOW",
            new LinuxSyscall { Action = "SCMP_ACT_ERRNO", ErrnoRet = 13, Names = ["mount"] },
            new LinuxSyscall
            {
                Action = "SCMP_ACT_ERRNO",
                Names = ["personality"],
                Args = [new LinuxSeccompArg { Index = 0, Value = 8, Op = "SCMP_CMP_EQ" }, new LinuxSeccompArg { Index = 0, Value = 9, Op = "SCMP_CMP_EQ" }],
            }))!.Compile();

        var pfc = ExportPfc(filter);

        Assert.Contains($"if ($syscall == {Nr("mount")})", pfc);
        Assert.Contains("action ERRNO(13);", pfc);
        Assert.Contains("if ($a0.hi32 == 0)", pfc);
        Assert.Contains("if ($a0.lo32 == 8)", pfc);
        Assert.Contains("if ($a0.lo32 == 9)", pfc);
        Assert.Contains("action ALLOW;", pfc);
    }

    [Fact]
    public void Features_list_what_the_runtime_accepts()
    {
        var features = SeccompSupport.Describe();

        Assert.True(features.Enabled);
        Assert.DoesNotContain("SCMP_ACT_NOTIFY", features.Actions);
        Assert.Contains("SCMP_ACT_KILL_PROCESS", features.Actions);
        Assert.Equal(7, features.Operators.Count);
        Assert.Contains("SCMP_ARCH_X86_64", features.Archs);
        Assert.Contains("SCMP_ARCH_AARCH64", features.Archs);
        Assert.Equal(["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG"], features.KnownFlags);
        Assert.Subset(features.KnownFlags.ToHashSet(), features.SupportedFlags.ToHashSet());
    }

    private static string ExportPfc(SeccompFilter filter)
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
            {
                filter.ExportPfc(file);
            }
            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
