namespace Berth.Engine.Containers.Oci;

/// <summary>
/// The <c>--security-opt</c> values Berth honours, parsed as Docker's parseSecurityOpt does (<c>key=value</c>, or the
/// deprecated <c>key:value</c>). Berth applies no AppArmor profile and no SELinux label. On a host without them Docker
/// accepts and ignores both options, and so does Berth; where the kernel runs them, only the no-ops
/// (<c>apparmor=unconfined</c>, <c>label=disable</c>, <c>disable</c>) are accepted and any other is refused.
/// </summary>
public sealed record SecurityOptions
{
    /// <summary>Docker's name for its built-in seccomp profile.</summary>
    public const string SeccompDefault = "builtin";
    public const string Unconfined = "unconfined";

    public bool NoNewPrivileges { get; init; }

    /// <summary>null (the default profile), <see cref="Unconfined"/>, <see cref="SeccompDefault"/>, or a profile's JSON text.</summary>
    public string? SeccompProfile { get; init; }

    /// <summary><c>writable-cgroups</c>: null follows <c>--privileged</c>.</summary>
    public bool? WritableCgroups { get; init; }

    public static SecurityOptions Parse(IReadOnlyList<string> options, SpecHost host)
    {
        var result = new SecurityOptions();
        foreach (var option in options)
        {
            if (option == "no-new-privileges") { result = result with { NoNewPrivileges = true }; continue; }
            if (option == "writable-cgroups") { result = result with { WritableCgroups = true }; continue; }
            if (option == "disable") continue;

            var separator = option.Contains('=') ? '=' : option.Contains(':') ? ':' : '\0';
            if (separator == '\0') throw Invalid(1, option);
            var key = option[..option.IndexOf(separator)];
            var value = option[(option.IndexOf(separator) + 1)..];
            result = key switch
            {
                "seccomp" => result with { SeccompProfile = value },
                "no-new-privileges" => result with { NoNewPrivileges = GoStrconv.ParseBool(value) ?? throw Invalid(2, option) },
                "writable-cgroups" => result with { WritableCgroups = GoStrconv.ParseBool(value) ?? throw Invalid(2, option) },
                "apparmor" when value == Unconfined || !host.AppArmor => result,
                "apparmor" => throw new EngineException(ErrorKind.InvalidArgument,
                    $"invalid --security-opt {option}: AppArmor is not supported by Berth (only apparmor=unconfined is accepted)"),
                "label" when value == "disable" || !host.SeLinux => result,
                "label" => throw new EngineException(ErrorKind.InvalidArgument,
                    $"invalid --security-opt {option}: SELinux labels are not supported by Berth (only label=disable is accepted)"),
                _ => throw Invalid(2, option),
            };
        }
        return result;
    }

    private static EngineException Invalid(int stage, string option) =>
        new(ErrorKind.InvalidArgument, $"invalid --security-opt {stage}: \"{option}\"");
}
