using Berth.Api.Models.Volumes;
using System.Text.Json;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Images;
using Berth.Api.Models.System;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>
/// <c>system df</c> and <c>system df -v</c>. The expected texts are what docker 28.2.2 printed for the same
/// <c>/system/df</c> answer (served to it by a stub daemon), with the clock of these tests.
/// </summary>
public sealed class DiskUsageCommandTests
{
    private static TestCli Cli()
    {
        var cli = new TestCli { Now = new DateTimeOffset(2024, 12, 7, 12, 0, 0, TimeSpan.Zero) };
        cli.Client.Images.AddRange(
        [
            new ImageSummary
            {
                Id = "sha256:aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff", RepoTags = ["busybox:latest"],
                Created = 1700000000, Size = 4261550, SharedSize = 0, Containers = 2,
            },
            new ImageSummary
            {
                Id = "sha256:1111111111112222222222223333333333334444444444445555555555556666", RepoTags = ["<none>:<none>"],
                RepoDigests = ["<none>@<none>"], Created = 1690000000, Size = 8000000, SharedSize = -1, Containers = 0,
            },
            new ImageSummary
            {
                Id = "sha256:9999999999998888888888887777777777776666666666665555555555554444", RepoTags = ["localhost:5000/team/app:v1.2", "app:v1"],
                Created = 1733000000, Size = 123456789, SharedSize = 4261550, Containers = 0,
            },
        ]);
        cli.Client.Containers.AddRange(
        [
            new ContainerSummary
            {
                Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", Names = ["/web"], Image = "busybox",
                Command = "sh -c 'while true; do sleep 1; done'", Created = 1733500000, SizeRw = 12288, SizeRootFs = 4273838,
                State = "running", Status = "Up 2 hours",
                Mounts = [new MountPoint { Type = "volume", Name = "data", Source = "/var/lib/docker/volumes/data/_data", Destination = "/data", Driver = "local" }],
            },
            new ContainerSummary
            {
                Id = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", Names = ["/old"], Image = "app:v1", Command = "/app",
                Created = 1733000000, SizeRw = 0, State = "exited", Status = "Exited (0) 3 days ago",
            },
        ]);
        cli.Client.DiskUsageVolumes.AddRange(
        [
            new Volume { Name = "data", Mountpoint = "/var/lib/docker/volumes/data/_data", UsageData = new() { Size = 2048000, RefCount = 1 } },
            new Volume { Name = "5f3c1d2e4b6a7980aabbccddeeff00112233445566778899aabbccddeeff0011", Mountpoint = "/x", UsageData = new() { Size = 0, RefCount = 0 } },
        ]);
        cli.Client.BuildCache.AddRange(
        [
            new BuildCacheRecord
            {
                ID = "zq8n2lq1v3k4m5n6b7v8c9x0", Type = "regular", Description = "mount / from exec /bin/sh -c apk add curl", Size = 5242880,
                CreatedAt = "2024-12-01T10:00:00Z", LastUsedAt = "2024-12-02T10:00:00Z", UsageCount = 3,
            },
            new BuildCacheRecord
            {
                ID = "ab12cd34ef56gh78ij90kl12", Parents = ["zq8n2lq1v3k4m5n6b7v8c9x0"], Type = "source.local", Description = "local source for context",
                InUse = true, Shared = true, Size = 1024, CreatedAt = "2024-11-01T10:00:00Z", UsageCount = 1,
            },
        ]);
        return cli;
    }

    [Fact]
    public async Task Verbose_prints_the_four_tables_as_docker_does()
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("system", "df", "-v"));
        Assert.Equal("""
            Images space usage:

            REPOSITORY                TAG       IMAGE ID       CREATED         SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS
            busybox                   latest    aaaaaaaaaaaa   12 months ago   4.26MB    0B            4.262MB       2
            <none>                    <none>    111111111111   16 months ago   8MB       N/A           N/A           0
            localhost:5000/team/app   v1.2      999999999999   6 days ago      123MB     4.262MB       119.2MB       0

            Containers space usage:

            CONTAINER ID   IMAGE     COMMAND                  LOCAL VOLUMES   SIZE      CREATED        STATUS                  NAMES
            0123456789ab   busybox   "sh -c 'while true; …"   1               12.3kB    20 hours ago   Up 2 hours              web
            fedcba987654   app:v1    "/app"                   0               0B        6 days ago     Exited (0) 3 days ago   old

            Local Volumes space usage:

            VOLUME NAME                                                        LINKS     SIZE
            data                                                               1         2.048MB
            5f3c1d2e4b6a7980aabbccddeeff00112233445566778899aabbccddeeff0011   0         0B

            Build cache usage: 5.243MB

            CACHE ID        CACHE TYPE     SIZE      CREATED       LAST USED    USAGE     SHARED
            ab12cd34ef56*   source.local   1.02kB    5 weeks ago                1         true
            zq8n2lq1v3k4    regular        5.24MB    6 days ago    5 days ago   3         false

            """, cli.Stdout);
    }

    [Fact]
    public async Task Verbose_tables_keep_their_headers_when_empty()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("system", "df", "--verbose"));
        Assert.Equal("""
            Images space usage:

            REPOSITORY   TAG       IMAGE ID   CREATED   SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS

            Containers space usage:

            CONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES

            Local Volumes space usage:

            VOLUME NAME   LINKS     SIZE

            Build cache usage: 0B

            CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED

            """, cli.Stdout);
    }

    [Fact]
    public async Task Verbose_format_runs_once_over_the_four_lists_with_full_ids()
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("system", "df", "-v", "--format",
            "{{range .Images}}{{.ID}} {{.Repository}}|{{end}}{{range .Volumes}}{{.Name}}={{.Links}}/{{.Size}}|{{end}}{{range .BuildCache}}{{.ID}}{{end}}"));
        Assert.Equal("sha256:aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff busybox|"
            + "sha256:1111111111112222222222223333333333334444444444445555555555556666 <none>|"
            + "sha256:9999999999998888888888887777777777776666666666665555555555554444 localhost:5000/team/app|"
            + "data=1/2.048MB|5f3c1d2e4b6a7980aabbccddeeff00112233445566778899aabbccddeeff0011=0/0B|"
            + "ab12cd34ef56gh78ij90kl12*zq8n2lq1v3k4m5n6b7v8c9x0", cli.Stdout);
    }

    [Fact]
    public async Task Verbose_json_is_one_object_in_dockers_field_order()
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("system", "df", "-v", "--format", "json"));
        using var document = JsonDocument.Parse(cli.Stdout);
        Assert.Equal(["Images", "Containers", "Volumes", "BuildCache"], document.RootElement.EnumerateObject().Select(p => p.Name));
        var volume = document.RootElement.GetProperty("Volumes")[0];
        Assert.Equal("1", volume.GetProperty("Links").GetString());
        Assert.Equal("\\u003cnone\\u003e", cli.Stdout.Split("\"Repository\":\"")[2].Split('"')[0]);
        Assert.Equal("119.2MB", document.RootElement.GetProperty("Images")[2].GetProperty("UniqueSize").GetString());
    }

    [Fact]
    public async Task Verbose_format_errors_are_dockers()
    {
        var cli = Cli();
        Assert.Equal(1, await cli.RunAsync("system", "df", "-v", "--format", "{{.Nope}}"));
        Assert.Equal("template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.diskUsageContext\n", cli.Stderr);
        Assert.Equal(1, await cli.RunAsync("system", "df", "-v", "--format", "{{.Images"));
        Assert.Equal("template parsing error: template: :1: unclosed action\n", cli.Stderr);
    }

    [Fact]
    public async Task Volume_without_usage_data_or_labels_prints_not_available()
    {
        var cli = new TestCli();
        // As a daemon may send it: no usage data, "Labels": null.
        cli.Client.DiskUsageVolumes.Add(new Volume { Name = "v1", Labels = null! });
        Assert.Equal(0, await cli.RunAsync("system", "df", "-v"));
        Assert.Contains("\nv1            N/A       N/A\n", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("system", "df", "-v", "--format", "{{json .Volumes}}"));
        Assert.Equal("[{\"Availability\":\"N/A\",\"Driver\":\"local\",\"Group\":\"N/A\",\"Labels\":\"\",\"Links\":\"N/A\",\"Mountpoint\":\"\","
            + "\"Name\":\"v1\",\"Scope\":\"local\",\"Size\":\"N/A\",\"Status\":\"N/A\"}]", cli.Stdout);
    }

    [Fact]
    public async Task Summary_build_cache_reclaimable_has_no_percentage()
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("system", "df"));
        Assert.Equal("""
            TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
            Images          3         1         135.7MB   131.5MB (96%)
            Containers      2         1         12.29kB   0B (0%)
            Local Volumes   2         1         2.048MB   0B (0%)
            Build Cache     2         1         5.243MB   5.243MB

            """, cli.Stdout);
    }
}
