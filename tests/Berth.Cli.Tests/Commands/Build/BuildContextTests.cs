using System.Formats.Tar;
using Berth.Api.Client;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands.Build;

public sealed class BuildContextTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<Dictionary<string, (TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string Text)>> PackAsync(string dockerfile = "Dockerfile")
    {
        using var tar = new MemoryStream();
        await BuildContext.FromDirectory(_dir.Path, dockerfile).WriteAsync(tar, CancellationToken.None);
        return ContextTarReader.Read(tar.ToArray());
    }

    private void Write(string relative, string content = "x")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dir.Combine(relative))!);
        File.WriteAllText(_dir.Combine(relative), content);
    }

    [Fact]
    public async Task Keeps_modes_directories_and_symlinks_as_links()
    {
        Write("Dockerfile");
        Write("bin/run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(_dir.Combine("bin/run.sh"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(_dir.Combine("link"), "bin/run.sh");

        var entries = await PackAsync();

        Assert.Equal(["Dockerfile", "bin/", "bin/run.sh", "link"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TarEntryType.Directory, entries["bin/"].Type);
        Assert.Equal((UnixFileMode)0b111_101_101, entries["bin/run.sh"].Mode);
        Assert.Equal((TarEntryType.SymbolicLink, "bin/run.sh"), (entries["link"].Type, entries["link"].Text));
        Assert.All(entries.Values, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));
    }

    [Fact]
    public async Task An_excluded_directory_is_skipped_unless_an_exception_reaches_into_it()
    {
        Write("Dockerfile");
        Write("node_modules/a/index.js");
        Write("build/out.o");
        Write("build/keep/me.txt");
        Write(".dockerignore", "node_modules\nbuild\n!build/keep/me.txt\n");

        var entries = await PackAsync();

        Assert.Equal([".dockerignore", "Dockerfile", "build/keep/me.txt"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dockerfile_in_an_excluded_directory_is_still_sent()
    {
        Write("docker/app.Dockerfile", "FROM x\n");
        Write("docker/other");
        Write(".dockerignore", "docker\n");

        var entries = await PackAsync(BuildContext.ResolveDockerfile(_dir.Path, _dir.Combine("docker/app.Dockerfile")));

        Assert.Equal([".dockerignore", "docker/app.Dockerfile"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ResolveDockerfile_finds_the_lower_case_name_and_reports_outside_paths()
    {
        Write("dockerfile");
        using var outside = new TempDirectory();
        File.WriteAllText(outside.Combine("Dockerfile"), "");

        Assert.Equal("dockerfile", BuildContext.ResolveDockerfile(_dir.Path, null));
        Assert.StartsWith("../", BuildContext.ResolveDockerfile(_dir.Path, outside.Combine("Dockerfile")));
    }

    [Fact]
    public void A_bad_dockerignore_pattern_is_reported()
    {
        Write("Dockerfile");
        Write(".dockerignore", "[\n");

        Assert.Equal("syntax error in pattern", Assert.Throws<BuildContextException>(() => BuildContext.FromDirectory(_dir.Path, "Dockerfile")).Message);
    }

    [Fact]
    public async Task A_compressed_stream_passes_through_and_plain_text_that_must_be_a_tar_is_refused()
    {
        var gzip = new byte[] { 0x1F, 0x8B, 0x08, 0, 1, 2, 3 };
        var context = await BuildContext.FromStreamAsync(new MemoryStream(gzip), null, CancellationToken.None);
        using var sent = new MemoryStream();
        await context.WriteAsync(sent, CancellationToken.None);

        Assert.Equal(gzip, sent.ToArray());
        Assert.Null(context.DockerfileName);
        Assert.Equal("build context is not an archive", (await Assert.ThrowsAsync<BuildContextException>(
            () => BuildContext.FromStreamAsync(new MemoryStream("FROM x"u8.ToArray()), "-", CancellationToken.None))).Message);
    }

    [Fact]
    public void The_query_is_the_go_clients_sorted_by_name()
    {
        var query = BerthClient.BuildQuery(new ImageBuildOptions
        {
            Tags = ["a:1", "b"],
            Dockerfile = "Dockerfile",
            BuildArgs = new Dictionary<string, string?> { ["Z"] = "1", ["A"] = null },
            Labels = new Dictionary<string, string> { ["k"] = "v" },
            Remove = false,
            NoCache = true,
            NetworkMode = "default",
            ShmSize = 1024,
            CacheFrom = ["img"],
            ExtraHosts = ["h:1.2.3.4"],
            RemoteContext = "git://h/r",
        });

        Assert.Equal("?buildargs=" + Uri.EscapeDataString("{\"A\":null,\"Z\":\"1\"}") + "&cachefrom=" + Uri.EscapeDataString("[\"img\"]") +
            "&dockerfile=Dockerfile&extrahosts=h%3A1.2.3.4&labels=" + Uri.EscapeDataString("{\"k\":\"v\"}") +
            "&nocache=1&remote=git%3A%2F%2Fh%2Fr&rm=0&shmsize=1024&t=a%3A1&t=b&version=1", query);
    }
}
