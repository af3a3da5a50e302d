using Berth.Cri.V1;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>The CRI's version, status and image calls, over the daemon's CRI socket, on the image store Docker's API uses.</summary>
public sealed class CriImageTests : IClassFixture<CriDaemon>
{
    private readonly CriDaemon _daemon;

    public CriImageTests(CriDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task Version_and_status_say_berth_speaks_CRI_v1_and_is_ready_and_kubelets_pod_CIDR_is_accepted()
    {
        var version = await _daemon.Runtime.VersionAsync(new VersionRequest { Version = "v1" });
        var status = await _daemon.Runtime.StatusAsync(new StatusRequest());
        await _daemon.Runtime.UpdateRuntimeConfigAsync(new UpdateRuntimeConfigRequest
        {
            RuntimeConfig = new RuntimeConfig { NetworkConfig = new NetworkConfig { PodCidr = "10.244.0.0/24" } },
        });

        Assert.Equal(("berth", "v1"), (version.RuntimeName, version.RuntimeApiVersion));
        Assert.Contains(status.Status.Conditions, c => c.Type == "RuntimeReady" && c.Status);
    }

    [PrivilegedFact]
    public async Task An_image_imported_through_Dockers_API_is_listed_and_found_by_name_and_id()
    {
        var list = await _daemon.Images.ListImagesAsync(new ListImagesRequest());
        var byName = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = "busybox" } });
        var byId = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = byName.Image.Id } });
        var missing = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = "nothing-here:1" } });

        Assert.Contains(list.Images, i => i.RepoTags.Contains("docker.io/library/busybox:latest"));
        Assert.Contains("docker.io/library/busybox:latest", byName.Image.RepoTags);
        Assert.Equal(byName.Image.Id, byId.Image.Id);
        Assert.True(byName.Image.Size > 0);
        Assert.Null(missing.Image);
    }

    [PrivilegedFact]
    public async Task A_pull_from_a_registry_is_found_by_digest_shows_in_berth_images_and_is_removed_idempotently()
    {
        _daemon.SeedBusybox("cri-pull-source:1");
        var remote = $"{_daemon.HostedRegistry}/cri/box:1";
        _daemon.Docker("tag", "cri-pull-source:1", remote).Ok("tag");
        _daemon.Docker("push", remote).Ok("push");
        _daemon.Docker("rmi", remote, "cri-pull-source:1").Ok("rmi");

        var pulled = await _daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = remote } });
        var status = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = remote } });
        var digest = Assert.Single(status.Image.RepoDigests);
        var byDigest = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = digest } });

        Assert.Equal(pulled.ImageRef, status.Image.Id);
        Assert.Equal(pulled.ImageRef, byDigest.Image.Id);
        Assert.Contains(remote, _daemon.Docker("images", "--format", "{{.Repository}}:{{.Tag}}").Ok("images").Output);

        await _daemon.Images.RemoveImageAsync(new RemoveImageRequest { Image = new ImageSpec { Image = remote } });
        await _daemon.Images.RemoveImageAsync(new RemoveImageRequest { Image = new ImageSpec { Image = remote } });
        var gone = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = pulled.ImageRef } });
        Assert.Null(gone.Image);
    }

    [PrivilegedFact]
    public async Task Image_filesystem_info_names_the_layers_directory()
    {
        var info = await _daemon.Images.ImageFsInfoAsync(new ImageFsInfoRequest());

        var usage = Assert.Single(info.ImageFilesystems);
        Assert.Equal(Path.Combine(_daemon.DataRoot, "snapshots"), usage.FsId.Mountpoint);
        Assert.True(usage.UsedBytes.Value > 0);
    }
}
