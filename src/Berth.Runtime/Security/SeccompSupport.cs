using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Security;

/// <summary>What seccomp support this runtime has here, for the <c>features</c> command.</summary>
public static class SeccompSupport
{
    /// <summary>Whether the kernel and libseccomp can apply <paramref name="flag"/> (TSYNC: API 2, LOG: 3, SPEC_ALLOW: 4).</summary>
    public static bool IsFlagSupported(string flag)
    {
        if (!SeccompLibrary.IsAvailable) return false;
        var required = flag switch
        {
            SeccompNames.FlagThreadSync => 2u,
            SeccompNames.FlagLog => 3u,
            SeccompNames.FlagSpecAllow => 4u,
            _ => uint.MaxValue,
        };
        return SeccompLibrary.ApiLevel >= required;
    }

    /// <summary>The runtime-spec <c>features.linux.seccomp</c> object.</summary>
    public static SeccompFeatures Describe()
    {
        var enabled = SeccompLibrary.IsAvailable;
        return new SeccompFeatures
        {
            Enabled = enabled,
            Actions = SeccompNames.KnownActions.Where(a => a != SeccompNames.ActionNotify).ToList(),
            Operators = SeccompNames.Operators.Keys.Order(StringComparer.Ordinal).ToList(),
            Archs = enabled
                ? SeccompNames.Architectures.Where(a => SeccompArchitecture.TryResolve(a.Value, out _)).Select(a => a.Key).ToList()
                : [],
            KnownFlags = SeccompNames.KnownFlags.ToList(),
            SupportedFlags = SeccompNames.KnownFlags.Where(IsFlagSupported).ToList(),
        };
    }

    internal static SeccompFilterAttribute Attribute(string flag) => flag switch
    {
        SeccompNames.FlagThreadSync => SeccompFilterAttribute.ThreadSync,
        SeccompNames.FlagLog => SeccompFilterAttribute.Log,
        SeccompNames.FlagSpecAllow => SeccompFilterAttribute.SpecAllow,
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "unknown seccomp flag"),
    };
}
