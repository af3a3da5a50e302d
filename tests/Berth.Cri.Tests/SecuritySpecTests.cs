using Berth.Cri.Runtime;
using Berth.Cri.V1;
using Grpc.Core;
using CriConfig = Berth.Cri.V1.ContainerConfig;
using ProfileType = Berth.Cri.V1.SecurityProfile.Types.ProfileType;

namespace Berth.Cri.Tests;

/// <summary>The security context as containerd reads it, where Docker's defaults differ.</summary>
public sealed class SecuritySpecTests
{
    [Fact]
    public void Seccomp_is_unconfined_unless_a_profile_is_named_and_the_field_wins_over_the_deprecated_path()
    {
        var profile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(profile, """{"defaultAction":"SCMP_ACT_ALLOW"}""");
            Assert.Equal("unconfined", SecuritySpec.SeccompOf(new LinuxContainerSecurityContext()));
            Assert.Null(SecuritySpec.SeccompOf(new LinuxContainerSecurityContext { Seccomp = new SecurityProfile() })); // RuntimeDefault
            Assert.Equal("unconfined", SecuritySpec.SeccompOf(new LinuxContainerSecurityContext
            {
                Seccomp = new SecurityProfile { ProfileType = ProfileType.Unconfined }, SeccompProfilePath = "runtime/default",
            }));
            Assert.Equal("""{"defaultAction":"SCMP_ACT_ALLOW"}""", SecuritySpec.SeccompOf(new LinuxContainerSecurityContext
            {
                Seccomp = new SecurityProfile { ProfileType = ProfileType.Localhost, LocalhostRef = profile },
            }));
            Assert.Null(SecuritySpec.SeccompOf(new LinuxContainerSecurityContext { SeccompProfilePath = "docker/default" }));
            Assert.StartsWith("{", SecuritySpec.SeccompOf(new LinuxContainerSecurityContext { SeccompProfilePath = "localhost/" + profile }));
        }
        finally
        {
            File.Delete(profile);
        }
    }

    [Fact]
    public void A_missing_local_profile_is_an_invalid_argument()
    {
        var error = Assert.Throws<RpcException>(() => SecuritySpec.SeccompOf(new LinuxContainerSecurityContext
        {
            Seccomp = new SecurityProfile { ProfileType = ProfileType.Localhost, LocalhostRef = "/nonexistent/profile.json" },
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void A_privileged_container_has_no_seccomp_option_even_with_a_profile()
    {
        var options = SecuritySpec.OptionsOf(new LinuxContainerSecurityContext
        {
            Privileged = true, Seccomp = new SecurityProfile { ProfileType = ProfileType.Localhost, LocalhostRef = "/nonexistent" },
        });
        Assert.Empty(options);
    }

    [Fact]
    public void Without_AppArmor_on_the_host_a_profile_is_refused_and_unconfined_or_none_is_fine()
    {
        var error = Assert.Throws<RpcException>(() => SecuritySpec.OptionsOf(new LinuxContainerSecurityContext
        {
            Apparmor = new SecurityProfile { ProfileType = ProfileType.RuntimeDefault },
        }, appArmor: false));
        Assert.Equal((StatusCode.InvalidArgument, "apparmor is not supported"), (error.StatusCode, error.Status.Detail));
        Assert.Throws<RpcException>(() => SecuritySpec.OptionsOf(new LinuxContainerSecurityContext { ApparmorProfile = "localhost/x" }, appArmor: false));
        SecuritySpec.OptionsOf(new LinuxContainerSecurityContext { Apparmor = new SecurityProfile { ProfileType = ProfileType.Unconfined } }, appArmor: false);
        SecuritySpec.OptionsOf(new LinuxContainerSecurityContext { ApparmorProfile = "unconfined" }, appArmor: false);
        SecuritySpec.OptionsOf(new LinuxContainerSecurityContext(), appArmor: false);
    }

    [Fact]
    public void A_group_needs_a_user_and_a_user_name_takes_the_group_too()
    {
        var error = Assert.Throws<RpcException>(() => SecuritySpec.UserOf(new LinuxContainerSecurityContext { RunAsGroup = new Int64Value { Value = 5 } }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("www-data:5", SecuritySpec.UserOf(new LinuxContainerSecurityContext
        {
            RunAsUsername = "www-data", RunAsUser = new Int64Value { Value = 7 }, RunAsGroup = new Int64Value { Value = 5 },
        }));
        Assert.Null(SecuritySpec.UserOf(new LinuxContainerSecurityContext()));
    }

    [Fact]
    public void Masked_and_read_only_paths_given_replace_the_defaults_and_none_keeps_them()
    {
        var security = new LinuxContainerSecurityContext { MaskedPaths = { "/bin/ls" }, ReadonlyPaths = { "/tmp" } };
        var (_, host) = ContainerSpec.Of(new CriConfig { Linux = new LinuxContainerConfig { SecurityContext = security } }, "abc", new PodSandboxConfig());
        Assert.Equal(["/bin/ls"], host.MaskedPaths);
        Assert.Equal(["/tmp"], host.ReadonlyPaths);

        var (_, defaults) = ContainerSpec.Of(new CriConfig(), "abc", new PodSandboxConfig());
        Assert.Equal((null, null), (defaults.MaskedPaths, defaults.ReadonlyPaths));
    }

    [Fact]
    public void Without_CAP_SYS_RESOURCE_in_the_bounding_set_a_score_below_the_daemons_is_raised_to_it()
    {
        const string without = "Name:\tberthd\nCapBnd:\t000001fffeffffff\n";
        const string with = "Name:\tberthd\nCapBnd:\t000001ffffffffff\n";
        Assert.Equal(-500, OomScore.FloorOf(without, "-500\n"));
        Assert.Null(OomScore.FloorOf(with, "-500\n"));
        Assert.Equal(-500, OomScore.Restrict(-997, -500));
        Assert.Equal(1000, OomScore.Restrict(1000, -500));
        Assert.Equal(-997, OomScore.Restrict(-997, null));
    }
}
