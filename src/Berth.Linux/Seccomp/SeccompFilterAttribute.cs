namespace Berth.Linux.Seccomp;

/// <summary><c>enum scmp_filter_attr</c> of libseccomp 2.5.</summary>
public enum SeccompFilterAttribute
{
    /// <summary>The action for a syscall no rule matches (set by <c>seccomp_init</c>).</summary>
    DefaultAction = 1,

    /// <summary>The action for a syscall made from an architecture the filter does not hold.</summary>
    BadArchitectureAction = 2,

    /// <summary>1: <c>seccomp_load</c> sets no_new_privs first (libseccomp's default). Berth sets it to 0.</summary>
    NoNewPrivileges = 3,

    /// <summary>1: load with <c>SECCOMP_FILTER_FLAG_TSYNC</c>, onto every thread of the process.</summary>
    ThreadSync = 4,

    /// <summary>1: allow rules on syscall -1 (for tracers).</summary>
    AllowSyscallMinusOne = 5,

    /// <summary>1: load with <c>SECCOMP_FILTER_FLAG_LOG</c>.</summary>
    Log = 6,

    /// <summary>1: load with <c>SECCOMP_FILTER_FLAG_SPEC_ALLOW</c> (keep speculative store bypass mitigation off).</summary>
    SpecAllow = 7,

    /// <summary>1: rules by priority and complexity (default); 2: a binary tree sorted by syscall number.</summary>
    Optimize = 8,

    /// <summary>1: return the kernel's own errno from <c>seccomp_load</c> instead of <c>-ECANCELED</c>.</summary>
    RawReturnCodes = 9,
}
