using Berth.Api.Models.Images;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class ImageCommandTests
{
    [Fact]
    public async Task Images_lists_one_row_per_tag_with_human_sizes()
    {
        var cli = new TestCli();
        var created = cli.Now.AddDays(-15).ToUnixTimeSeconds();
        cli.Client.Images.Add(new ImageSummary
        {
            Id = "sha256:" + new string('c', 64),
            RepoTags = ["busybox:latest", "busybox:1.36", "localhost:5000/tools/bb:v1"],
            RepoDigests = ["busybox@sha256:" + new string('d', 64)],
            Created = created,
            Size = 4_261_550,
        });
        cli.Client.Images.Add(new ImageSummary { Id = "sha256:" + new string('e', 64), Created = created, Size = 999 });
        Assert.Equal(0, await cli.RunAsync("images"));
        Assert.Equal(
            "REPOSITORY                TAG       IMAGE ID       CREATED       SIZE\n" +
            "busybox                   latest    cccccccccccc   2 weeks ago   4.26MB\n" +
            "busybox                   1.36      cccccccccccc   2 weeks ago   4.26MB\n" +
            "localhost:5000/tools/bb   v1        cccccccccccc   2 weeks ago   4.26MB\n" +
            "<none>                    <none>    eeeeeeeeeeee   2 weeks ago   999B\n",
            string.Join('\n', cli.Stdout.Split('\n').Select(l => l.TrimEnd())));
    }

    [Fact]
    public async Task Images_with_a_reference_argument_filters_by_it()
    {
        var cli = new TestCli();
        await cli.RunAsync("images", "-q", "busybox");
        Assert.Equal("ImageList all=False filters={\"reference\":{\"busybox\":true}}", cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Tag_sends_the_normalized_repository_and_default_tag()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("tag", "busybox", "myrepo/bb"));
        Assert.Equal("Tag busybox docker.io/myrepo/bb latest", cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Rmi_prints_untagged_and_deleted_lines()
    {
        var cli = new TestCli();
        cli.Client.RemoveResult.Add(new ImageDeleteResponseItem { Untagged = "busybox:latest" });
        cli.Client.RemoveResult.Add(new ImageDeleteResponseItem { Deleted = "sha256:abc" });
        Assert.Equal(0, await cli.RunAsync("rmi", "-f", "busybox"));
        Assert.Equal("Untagged: busybox:latest\nDeleted: sha256:abc\n", cli.Stdout);
    }

    [Fact]
    public async Task Pull_prints_progress_then_the_full_reference()
    {
        var cli = new TestCli();
        cli.Client.PullMessages.Add(new() { Status = "Downloading", Id = "abc", ProgressDetail = new() { Current = 5, Total = 10 }, Progress = "[=>  ]" });
        cli.Client.PullMessages.Add(new() { Status = "Status: Downloaded newer image for busybox:latest" });
        Assert.Equal(0, await cli.RunAsync("pull", "busybox"));
        Assert.Equal("Using default tag: latest\nlatest: Pulling from library/busybox\nStatus: Downloaded newer image for busybox:latest\ndocker.io/library/busybox:latest\n", cli.Stdout);
    }

    [Fact]
    public async Task Import_reads_stdin_and_prints_the_image_id()
    {
        var cli = new TestCli { Stdin = new MemoryStream(new byte[1000]) };
        Assert.Equal(0, await cli.RunAsync("import", "-c", "CMD [\"sh\"]", "-", "bb:v1"));
        Assert.Equal("Import 1000 bytes repo=bb tag=v1 changes=CMD [\"sh\"]", cli.Client.Calls.Single());
        Assert.Equal("sha256:" + new string('b', 64) + "\n", cli.Stdout);
    }

    [Fact]
    public async Task Load_prints_what_was_loaded()
    {
        var cli = new TestCli { Stdin = new MemoryStream(new byte[10]) };
        Assert.Equal(0, await cli.RunAsync("load"));
        Assert.Equal("Loaded image: busybox:latest\n", cli.Stdout);
    }

    [Fact]
    public async Task Save_refuses_a_terminal_and_writes_a_file()
    {
        var cli = new TestCli();
        cli.Terminal.IsStdoutTerminal = true;
        Assert.Equal(1, await cli.RunAsync("save", "busybox"));
        Assert.Equal("cowardly refusing to save to a terminal. Use the -o flag or redirect\n", cli.Stderr);

        var path = Path.Combine(Path.GetTempPath(), $"berth-save-{Guid.NewGuid():N}.tar");
        try
        {
            Assert.Equal(0, await cli.RunAsync("save", "-o", path, "busybox"));
            Assert.Equal("tar-bytes", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Image_prune_sends_the_dangling_filter()
    {
        var cli = new TestCli();
        await cli.RunAsync("image", "prune", "-f");
        await cli.RunAsync("image", "prune", "-af");
        Assert.Equal(["ImagePrune filters={\"dangling\":{\"true\":true}}", "ImagePrune filters={\"dangling\":{\"false\":true}}"], cli.Client.Calls);
    }
}
