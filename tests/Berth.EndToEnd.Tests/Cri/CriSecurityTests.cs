using Berth.Cri.V1;
using Berth.Testing;
using Grpc.Core;
using static Berth.EndToEnd.Tests.Cri.CriPods;
using ProfileType = Berth.Cri.V1.SecurityProfile.Types.ProfileType;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>The security context as critest checks it: seccomp profiles, masked and read-only paths, users and groups.</summary>
public sealed class CriSecurityTests : IClassFixture<CriDaemon>
{
    private readonly CriDaemon _daemon;

    public CriSecurityTests(CriDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task Seccomp_is_off_without_a_profile_filtered_with_the_default_and_a_local_profile_is_enforced()
    {
        var profile = Path.Combine(_daemon.Directory, "block-chmod.json");
        await File.WriteAllTextAsync(profile, """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chmod","fchmodat","fchmodat2"],"action":"SCMP_ACT_ERRNO"}]}""");
        var (_, none) = await RunAsync(_daemon, Pod(_daemon, "seccomp-nil"), "exec sleep 1000");
        var (_, standard) = await RunAsync(_daemon, Pod(_daemon, "seccomp-default"), "exec sleep 1000",
            c => c.Linux.SecurityContext.Seccomp = new SecurityProfile { ProfileType = ProfileType.RuntimeDefault });
        var (_, local) = await RunAsync(_daemon, Pod(_daemon, "seccomp-local"), "exec sleep 1000",
            c => c.Linux.SecurityContext.Seccomp = new SecurityProfile { ProfileType = ProfileType.Localhost, LocalhostRef = profile });

        Assert.Contains("Seccomp:\t0", (await ExecAsync(_daemon, none, "grep", "Seccomp:", "/proc/self/status")).Stdout.ToStringUtf8());
        Assert.Contains("Seccomp:\t2", (await ExecAsync(_daemon, standard, "grep", "Seccomp:", "/proc/self/status")).Stdout.ToStringUtf8());
        var chmod = await ExecAsync(_daemon, local, "chmod", "400", "/");
        Assert.NotEqual(0, chmod.ExitCode);
        Assert.Contains("Operation not permitted", chmod.Stderr.ToStringUtf8());
    }

    [PrivilegedFact]
    public async Task Masked_and_read_only_paths_given_replace_the_defaults()
    {
        var (_, id) = await RunAsync(_daemon, Pod(_daemon, "paths"), "exec sleep 1000", c =>
        {
            c.Linux.SecurityContext.MaskedPaths.Add("/etc/group");
            c.Linux.SecurityContext.ReadonlyPaths.Add("/tmp");
        });

        Assert.Equal("", (await ExecAsync(_daemon, id, "cat", "/etc/group")).Stdout.ToStringUtf8());
        var touch = await ExecAsync(_daemon, id, "touch", "/tmp/x");
        Assert.Equal("touch: /tmp/x: Read-only file system\n", touch.Stderr.ToStringUtf8());
    }

    [PrivilegedFact]
    public async Task A_group_without_a_user_is_refused_and_user_group_and_supplemental_groups_apply()
    {
        var pod = Pod(_daemon, "groupless");
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var error = await Assert.ThrowsAsync<RpcException>(() => _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox, SandboxConfig = pod,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "app" }, Image = new ImageSpec { Image = "busybox" },
                Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext { RunAsGroup = new Int64Value { Value = 5 } } },
            },
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);

        var (_, id) = await RunAsync(_daemon, Pod(_daemon, "grouped"), "exec sleep 1000", c =>
        {
            c.Linux.SecurityContext.RunAsUser = new Int64Value { Value = 1001 };
            c.Linux.SecurityContext.RunAsGroup = new Int64Value { Value = 2002 };
            c.Linux.SecurityContext.SupplementalGroups.Add(3003);
        });
        var identity = (await ExecAsync(_daemon, id, "id")).Stdout.ToStringUtf8();
        Assert.StartsWith("uid=1001 gid=2002 ", identity);
        Assert.Contains("3003", identity);
    }

    [PrivilegedFact]
    public async Task A_mount_made_inside_a_bidirectional_mount_appears_on_the_host()
    {
        var shared = Path.Combine(_daemon.Directory, "bidirectional");
        Directory.CreateDirectory(shared);
        Commands.Run("mount", ["--bind", shared, shared]).Ok("bind");
        try
        {
            Commands.Run("mount", ["--make-rshared", shared]).Ok("make-rshared");
            var (_, id) = await RunAsync(_daemon, Pod(_daemon, "bidirectional"), "exec sleep 1000", c =>
            {
                c.Linux.SecurityContext.Privileged = true;
                c.Mounts.Add(new Mount { HostPath = shared, ContainerPath = "/shared", Propagation = MountPropagation.PropagationBidirectional });
            });

            var mounted = await ExecAsync(_daemon, id, "sh", "-c", "mkdir /shared/inner && mount -t tmpfs inner /shared/inner && echo x > /shared/inner/made-inside");
            Assert.Equal(0, mounted.ExitCode);
            Assert.True(File.Exists(Path.Combine(shared, "inner", "made-inside")), "the container's mount reached the host");
        }
        finally
        {
            Commands.Run("umount", ["-R", "-l", shared]);
        }
    }
}
