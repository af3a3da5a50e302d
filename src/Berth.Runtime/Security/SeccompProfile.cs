using Berth.Linux;
using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Security;

/// <summary>
/// The OCI <c>linux.seccomp</c> section translated the way runc does it, ready to compile into a libseccomp filter
/// and load on the calling thread just before execve.
/// <list type="bullet">
/// <item>one rule per syscall name; a name libseccomp does not know is skipped (<see cref="SkippedSyscalls"/>), not fatal;</item>
/// <item>a rule whose action equals the default action is dropped (libseccomp refuses it);</item>
/// <item>when two conditions test the same argument, each condition becomes a rule of its own (an OR), otherwise
///   all conditions form one rule (an AND);</item>
/// <item>ERRNO and TRACE return EPERM unless errnoRet says otherwise;</item>
/// <item>no flags given (null, not empty) means SPEC_ALLOW when the kernel supports it; TSYNC only when asked;</item>
/// <item>no_new_privs is never set by the filter: the runtime sets it when <c>process.noNewPrivileges</c> asks.</item>
/// <item>when the default action denies, a syscall newer than every one the profile names gets ENOSYS
///   (<see cref="EnosysStub"/>, runc's patchbpf), so libc falls back instead of failing.</item>
/// </list>
/// </summary>
public sealed class SeccompProfile
{
    /// <summary>Above this many syscalls runc asks libseccomp for a binary-tree filter (2.5 misbehaves with it on tiny filters).</summary>
    private const int BinaryTreeThreshold = 32;

    private readonly bool _binaryTree;
    private readonly IReadOnlyDictionary<SeccompArchitecture, uint> _lastSyscalls;

    private SeccompProfile(
        SeccompAction defaultAction, IReadOnlyList<SeccompArchitecture> architectures, IReadOnlyList<string> flags,
        IReadOnlyList<SeccompRule> rules, IReadOnlyList<string> skipped, bool binaryTree,
        IReadOnlyDictionary<SeccompArchitecture, uint> lastSyscalls)
    {
        DefaultAction = defaultAction;
        Architectures = architectures;
        Flags = flags;
        Rules = rules;
        SkippedSyscalls = skipped;
        _binaryTree = binaryTree;
        _lastSyscalls = lastSyscalls;
    }

    public SeccompAction DefaultAction { get; }

    /// <summary>The architectures the filter matches besides the native one.</summary>
    public IReadOnlyList<SeccompArchitecture> Architectures { get; }

    /// <summary>The filter flags that will be set (SECCOMP_FILTER_FLAG_*).</summary>
    public IReadOnlyList<string> Flags { get; }

    public IReadOnlyList<SeccompRule> Rules { get; }

    /// <summary>Syscall names libseccomp does not know, left out of the filter (runc logs them at debug level).</summary>
    public IReadOnlyList<string> SkippedSyscalls { get; }

    /// <summary>
    /// Translates and validates the section; null when there is nothing to load (no section, or neither a default
    /// action nor syscalls, as runc). Throws <see cref="RuntimeException"/> naming what is wrong.
    /// </summary>
    public static SeccompProfile? FromOci(LinuxSeccomp? seccomp)
    {
        if (seccomp is null) return null;
        var syscalls = seccomp.Syscalls ?? [];
        if (seccomp.DefaultAction.Length == 0 && syscalls.Count == 0) return null;
        if (!SeccompLibrary.IsAvailable)
            throw new RuntimeException("seccomp: the profile needs libseccomp (libseccomp.so.2), which is not installed");

        var defaultAction = ParseAction(seccomp.DefaultAction, seccomp.DefaultErrnoRet, "defaultAction");
        if (defaultAction == SeccompAction.Notify)
            throw new RuntimeException("seccomp: SCMP_ACT_NOTIFY cannot be the default action");

        var architectures = (seccomp.Architectures ?? []).Select(ParseArchitecture).ToList();
        var flags = ParseFlags(seccomp.Flags);

        var rules = new List<SeccompRule>();
        var skipped = new List<string>();
        var count = 0;
        foreach (var syscall in syscalls)
        {
            var action = ParseAction(syscall.Action, syscall.ErrnoRet, $"action of {string.Join(",", syscall.Names)}");
            if (action == SeccompAction.Notify)
                throw new RuntimeException($"seccomp: SCMP_ACT_NOTIFY ({string.Join(",", syscall.Names)}) needs a seccomp listener, which this runtime does not support");
            var conditions = ParseConditions(syscall);
            foreach (var name in syscall.Names)
            {
                count++;
                if (name.Length == 0) throw new RuntimeException("seccomp: an empty string is not a valid syscall name");
                if (action == defaultAction) continue;
                if (!SeccompLibrary.TryResolveSyscall(name, out var number))
                {
                    if (!skipped.Contains(name)) skipped.Add(name);
                    continue;
                }
                rules.AddRange(Split(conditions).Select(c => new SeccompRule(name, number, action, c)));
            }
        }
        var lastSyscalls = EnosysStub.LastSyscalls(
            syscalls.SelectMany(s => s.Names), architectures.Prepend(SeccompArchitecture.Current));
        return new SeccompProfile(defaultAction, architectures, flags, rules, skipped, count > BinaryTreeThreshold, lastSyscalls);
    }

    /// <summary>Everything the compiled program depends on, as text (the key of <see cref="SeccompProgramCache"/>).</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder()
            .Append("default ").Append(DefaultAction).Append('\n')
            .Append("arches ").AppendJoin(',', Architectures).Append('\n')
            .Append("flags ").AppendJoin(',', Flags).Append('\n')
            .Append("tree ").Append(_binaryTree).Append('\n')
            .Append("last ").AppendJoin(',', _lastSyscalls).Append('\n');
        foreach (var rule in Rules)
            text.Append(rule.Syscall).Append(' ').Append(rule.Number).Append(' ').Append(rule.Action).Append(' ').AppendJoin(';', rule.Conditions).Append('\n');
        return text.ToString();
    }

    /// <summary>The libseccomp filter, without the ENOSYS stub (memory only; nothing is loaded). The caller disposes it.</summary>
    public SeccompFilter Compile()
    {
        var filter = SeccompFilter.Create(DefaultAction);
        try
        {
            foreach (var architecture in Architectures) filter.AddArchitecture(architecture);
            foreach (var flag in Flags) filter.Set(SeccompSupport.Attribute(flag), 1);
            if (_binaryTree) TrySetBinaryTree(filter);
            foreach (var rule in Rules)
            {
                filter.AddRule(rule.Action, rule.Number, rule.Conditions is SeccompCondition[] array ? array : rule.Conditions.ToArray(), rule.Syscall);
            }
            return filter;
        }
        catch
        {
            filter.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The loadable program: libseccomp's BPF, behind the ENOSYS stub when the default action denies.
    /// Build it early (it allocates and can fail); <see cref="SeccompProgram.Load"/> it last.
    /// </summary>
    public SeccompProgram Build()
    {
        using var filter = Compile();
        var program = filter.ExportProgram();
        var stub = EnosysStub.Needed(DefaultAction) ? EnosysStub.Generate(_lastSyscalls) : [];
        return new SeccompProgram([.. stub, .. program], filter.LoadFlags, stub.Length > 0);
    }

    /// <summary>
    /// Builds and loads the program on the CALLING THREAD. Needs no_new_privs on this thread or CAP_SYS_ADMIN,
    /// so without no_new_privs load it before the capabilities are dropped.
    /// </summary>
    public void Load() => Build().Load();

    private static SeccompAction ParseAction(string name, uint? errnoRet, string what) =>
        SeccompNames.Action(name, errnoRet) ?? throw new RuntimeException($"seccomp: unknown {what} \"{name}\"");

    private static SeccompArchitecture ParseArchitecture(string name)
    {
        if (!SeccompNames.Architectures.TryGetValue(name, out var libseccompName))
            throw new RuntimeException($"seccomp: unknown architecture \"{name}\"");
        return SeccompArchitecture.TryResolve(libseccompName, out var architecture)
            ? architecture
            : throw new RuntimeException($"seccomp: architecture {name} is not supported by libseccomp {SeccompLibrary.Version}");
    }

    private static List<string> ParseFlags(List<string>? flags)
    {
        if (flags is null)
            return SeccompSupport.IsFlagSupported(SeccompNames.FlagSpecAllow) ? [SeccompNames.FlagSpecAllow] : [];
        foreach (var flag in flags)
        {
            if (!SeccompNames.KnownFlags.Contains(flag))
                throw new RuntimeException($"seccomp: flag {flag} is not supported by this runtime");
            if (!SeccompSupport.IsFlagSupported(flag))
                throw new RuntimeException($"seccomp: flag {flag} is not supported by the kernel or libseccomp {SeccompLibrary.Version}");
        }
        return flags.Distinct(StringComparer.Ordinal).ToList();
    }

    private static SeccompCondition[] ParseConditions(LinuxSyscall syscall)
    {
        var args = syscall.Args ?? [];
        var conditions = new SeccompCondition[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Index >= SeccompCondition.MaxArguments)
                throw new RuntimeException($"seccomp: argument index {arg.Index} of {string.Join(",", syscall.Names)} is out of range (0-5)");
            if (!SeccompNames.Operators.TryGetValue(arg.Op, out var op))
                throw new RuntimeException($"seccomp: unknown operator \"{arg.Op}\" for {string.Join(",", syscall.Names)}");
            conditions[i] = new SeccompCondition(arg.Index, op, arg.Value, arg.ValueTwo);
        }
        return conditions;
    }

    /// <summary>All conditions in one rule, unless two test the same argument: then one rule per condition (runc).</summary>
    private static IEnumerable<SeccompCondition[]> Split(SeccompCondition[] conditions)
    {
        var repeated = conditions.GroupBy(c => c.Argument).Any(g => g.Count() > 1);
        return repeated ? conditions.Select(c => new[] { c }) : [conditions];
    }

    private static void TrySetBinaryTree(SeccompFilter filter)
    {
        try
        {
            filter.Set(SeccompFilterAttribute.Optimize, 2);
        }
        catch (LinuxException)
        {
            // Older libseccomp: the default optimisation is still correct.
        }
    }
}
