using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Berth.Build;
using Berth.Engine.Builds;

namespace Berth.Engine.Tests.Builds;

/// <summary>The build context as it arrives: tars in every compression Docker accepts, a bare Dockerfile, a hostile name.</summary>
public sealed class BuildContextTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-context-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private EngineOptions Options => new() { DataRoot = _root };

    private static byte[] Tar(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, text) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        return buffer.ToArray();
    }

    private async Task<string> DockerfileOfAsync(byte[] body)
    {
        using var context = await BuildContextDirectory.ExtractAsync(new MemoryStream(body), "Dockerfile", Options, CancellationToken.None);
        return context.ReadDockerfile("Dockerfile");
    }

    private static byte[] Compressed(string tool, byte[] data)
    {
        var start = new ProcessStartInfo(tool, "-c") { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        process.StandardInput.BaseStream.Write(data);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        return output.ToArray();
    }

    [Fact]
    public async Task A_plain_gzip_bzip2_or_xz_tar_and_a_bare_dockerfile_are_read()
    {
        var tar = Tar(("Dockerfile", "FROM busybox\n"), ("app/a.txt", "a"));
        Assert.Equal("FROM busybox\n", await DockerfileOfAsync(tar));

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true)) compressor.Write(tar);
        Assert.Equal("FROM busybox\n", await DockerfileOfAsync(gzip.ToArray()));

        foreach (var tool in (string[])["bzip2", "xz"])
        {
            Assert.True(File.Exists("/usr/bin/" + tool), $"{tool} is not installed: scripts/setup.sh installs it");
            Assert.Equal("FROM busybox\n", await DockerfileOfAsync(Compressed(tool, tar)));
        }

        Assert.Equal("FROM scratch\n", await DockerfileOfAsync(Encoding.UTF8.GetBytes("FROM scratch\n")));
    }

    [Fact]
    public async Task The_index_lists_the_tree_and_the_files_are_unpacked_only_when_asked()
    {
        using var context = await BuildContextDirectory.ExtractAsync(
            new MemoryStream(Tar(("Dockerfile", "FROM busybox\n"), ("app/a.txt", "a"))), "Dockerfile", Options, CancellationToken.None);

        Assert.Equal(["Dockerfile", "app"], context.Tree.Children(""));
        Assert.Equal(1, context.Tree.Stat("app/a.txt")!.Value.Size);
        var root = await context.RootAsync(CancellationToken.None);
        Assert.Equal("a", File.ReadAllText(Path.Combine(root, "app/a.txt")));
    }

    [Fact]
    public async Task A_name_that_climbs_out_of_the_context_or_a_missing_dockerfile_is_refused_and_leaves_nothing()
    {
        var climbing = await Assert.ThrowsAsync<BuildException>(() => DockerfileOfAsync(Tar(("../escape", "x"))));
        Assert.Contains("climbs out", climbing.Message);

        var missing = await Assert.ThrowsAsync<BuildException>(() => DockerfileOfAsync(Tar(("other", "x"))));
        Assert.Equal("Cannot locate specified Dockerfile: Dockerfile", missing.Message);
        Assert.Empty(Directory.EnumerateDirectories(BuildContextDirectory.BuilderRoot(Options)));
    }
}
