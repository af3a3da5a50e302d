using System.Globalization;
using Berth.Cri.V1;
using Berth.Engine.Containers.Oci;
using Grpc.Core;
using ProfileType = Berth.Cri.V1.SecurityProfile.Types.ProfileType;

namespace Berth.Cri.Runtime;

/// <summary>
/// A container's <c>LinuxContainerSecurityContext</c> as the engine's user and security options, with containerd's
/// meaning where the CRI and Docker differ: no seccomp profile is unconfined (Docker applies its default), a
/// privileged container has none, and masked or read-only paths given replace the defaults.
/// </summary>
internal static class SecuritySpec
{
    /// <summary>The user name or uid, with the gid when one is given; null keeps the image's user.</summary>
    /// <exception cref="RpcException">a group without a user, which containerd refuses too.</exception>
    public static string? UserOf(LinuxContainerSecurityContext security)
    {
        var user = security.RunAsUsername.Length > 0 ? security.RunAsUsername
            : security.RunAsUser is { } uid ? uid.Value.ToString(CultureInfo.InvariantCulture) : null;
        if (security.RunAsGroup is not { } gid) return user;
        if (user is null)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"user group \"{gid.Value}\" is specified without user"));
        return user + ":" + gid.Value.ToString(CultureInfo.InvariantCulture);
    }

    public static List<string> OptionsOf(LinuxContainerSecurityContext security) => OptionsOf(security, SpecHost.Current.AppArmor);

    /// <exception cref="RpcException">an AppArmor profile on a host without AppArmor, which containerd refuses rather
    /// than run the container unconfined.</exception>
    internal static List<string> OptionsOf(LinuxContainerSecurityContext security, bool appArmor)
    {
        if (!appArmor && AsksAppArmor(security))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "apparmor is not supported"));
        var options = new List<string>();
        if (security.NoNewPrivs) options.Add("no-new-privileges");
        if (!security.Privileged && SeccompOf(security) is { } seccomp) options.Add("seccomp=" + seccomp);
        return options;
    }

    /// <summary>
    /// The engine's seccomp option: <c>unconfined</c>, null for the runtime's default profile, or a local profile's
    /// JSON. The <c>seccomp</c> field wins over the deprecated <c>seccomp_profile_path</c>
    /// (<c>runtime/default</c>, <c>docker/default</c>, <c>unconfined</c>, <c>localhost/&lt;path&gt;</c>); neither is unconfined.
    /// </summary>
    /// <exception cref="RpcException">a local profile that cannot be read.</exception>
    public static string? SeccompOf(LinuxContainerSecurityContext security)
    {
        if (security.Seccomp is { } profile)
        {
            return profile.ProfileType switch
            {
                ProfileType.RuntimeDefault => null,
                ProfileType.Localhost => ReadProfile(profile.LocalhostRef),
                _ => "unconfined",
            };
        }
        var path = security.SeccompProfilePath;
        if (path is "runtime/default" or "docker/default") return null;
        if (path.StartsWith("localhost/", StringComparison.Ordinal)) return ReadProfile(path["localhost/".Length..]);
        return "unconfined";
    }

    private static bool AsksAppArmor(LinuxContainerSecurityContext security) =>
        security.Apparmor is { } profile ? profile.ProfileType != ProfileType.Unconfined : security.ApparmorProfile is not ("" or "unconfined");

    /// <summary>The paths given, or null for the engine's defaults.</summary>
    public static IReadOnlyList<string>? PathsOr(Google.Protobuf.Collections.RepeatedField<string> paths) =>
        paths.Count > 0 ? [.. paths] : null;

    private static string ReadProfile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"failed to load seccomp profile \"{path}\": {e.Message}"));
        }
    }
}
