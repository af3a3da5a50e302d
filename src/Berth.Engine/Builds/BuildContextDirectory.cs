using System.Diagnostics;
using System.Text;
using Berth.Dockerfile;
using Berth.Snapshots;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Builds;

/// <summary>
/// A build's context, unpacked in a directory of its own (<c>&lt;data-root&gt;/builder/&lt;random&gt;/context</c>) and
/// removed with it. The body is a tar (plain, gzip, zstd, bzip2 or xz, sniffed; bzip2 and xz through the host's
/// <c>bzip2</c>/<c>xz</c>, as moby does for xz), or a bare Dockerfile. Unpacking is the layer applier's: names with
/// <c>..</c> are refused and nothing is written outside the directory; links keep their targets (copies resolve them
/// inside the context).
/// </summary>
internal sealed class BuildContextDirectory : IDisposable
{
    private const string DefaultDockerfile = "Dockerfile";
    private static ReadOnlySpan<byte> Bzip2 => "BZh"u8;
    private static ReadOnlySpan<byte> Xz => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    private static ReadOnlySpan<byte> Gzip => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> Zstd => [0x28, 0xb5, 0x2f, 0xfd];

    private readonly string _directory;

    private BuildContextDirectory(string directory)
    {
        _directory = directory;
        Root = Path.Combine(directory, "context");
    }

    /// <summary>The unpacked context.</summary>
    public string Root { get; }

    /// <summary>Where the builds' directories live: swept at daemon start (a killed build leaves its own).</summary>
    public static string BuilderRoot(EngineOptions options) => Path.Combine(options.DataRoot, "builder", "contexts");

    /// <exception cref="Berth.Build.BuildException">a body that is neither a tar nor a Dockerfile, or a hostile tar.</exception>
    public static async Task<BuildContextDirectory> ExtractAsync(Stream body, EngineOptions options, CancellationToken cancellationToken)
    {
        var context = new BuildContextDirectory(Path.Combine(BuilderRoot(options), Guid.NewGuid().ToString("N")));
        try
        {
            Directory.CreateDirectory(context.Root);
            var raw = Path.Combine(context._directory, "body");
            await using (var file = File.Create(raw)) await body.CopyToAsync(file, cancellationToken);
            await context.UnpackAsync(raw, cancellationToken);
            File.Delete(raw);
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Removes every build directory left by an earlier daemon (none is in use at start).</summary>
    public static void Sweep(EngineOptions options)
    {
        if (!Directory.Exists(BuilderRoot(options))) return;
        foreach (var build in Directory.EnumerateDirectories(BuilderRoot(options))) new BuildContextDirectory(build).Dispose();
    }

    /// <summary>A new empty directory of this build's own (a mount point, downloads), removed with the build.</summary>
    public string NewDirectory(string purpose)
    {
        var path = Path.Combine(_directory, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The Dockerfile's text: <paramref name="name"/> in the context (Docker's message when it is missing).</summary>
    public string ReadDockerfile(string name)
    {
        var relative = name.TrimStart('/');
        var path = Path.GetFullPath(Path.Combine(Root, relative));
        if (!path.StartsWith(Root + "/", StringComparison.Ordinal) || !File.Exists(path))
            throw new Berth.Build.BuildException($"Cannot locate specified Dockerfile: {name}");
        return File.ReadAllText(path, Encoding.UTF8);
    }

    /// <summary>The context's <c>.dockerignore</c>, or null.</summary>
    public DockerIgnore? ReadDockerIgnore()
    {
        var path = Path.Combine(Root, ".dockerignore");
        return File.Exists(path) ? DockerIgnore.Parse(File.ReadAllText(path, Encoding.UTF8)) : null;
    }

    private async Task UnpackAsync(string raw, CancellationToken cancellationToken)
    {
        var head = new byte[512];
        int count;
        await using (var file = File.OpenRead(raw)) count = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var span = head.AsSpan(0, count);
        if (span.StartsWith(Bzip2) || span.StartsWith(Xz))
            await ApplyDecompressedAsync(span.StartsWith(Xz) ? "xz" : "bzip2", raw, cancellationToken);
        else if (span.StartsWith(Gzip) || span.StartsWith(Zstd) || IsTar(span))
            await ApplyAsync(File.OpenRead(raw), cancellationToken);
        else
            File.Move(raw, Path.Combine(Root, DefaultDockerfile)); // a bare Dockerfile, as `docker build - < Dockerfile` sends it
    }

    /// <summary>A POSIX or GNU tar header: <c>ustar</c> at offset 257 (an empty tar is all zeros).</summary>
    private static bool IsTar(ReadOnlySpan<byte> head) =>
        head.Length >= 262 && (head[257..262].SequenceEqual("ustar"u8) || !head.ContainsAnyExcept((byte)0));

    private async Task ApplyAsync(Stream tar, CancellationToken cancellationToken)
    {
        await using (tar)
        {
            try
            {
                await LayerApplier.ApplyAsync(tar, Root, WhiteoutMode.Delete, cancellationToken);
            }
            catch (SnapshotException e)
            {
                throw new Berth.Build.BuildException($"failed to read the build context: {e.Message}", inner: e);
            }
        }
    }

    private async Task ApplyDecompressedAsync(string tool, string raw, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        start.ArgumentList.Add(raw);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (global::System.ComponentModel.Win32Exception e)
        {
            throw new Berth.Build.BuildException($"the build context is {tool}-compressed and {tool} is not installed on the daemon's host", inner: e);
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await ApplyAsync(process.StandardOutput.BaseStream, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new Berth.Build.BuildException($"failed to decompress the build context: {(await errors).Trim()}");
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Directory.Exists(_directory)) return;
            // A step's mount left by a failure must not be walked into by the delete.
            foreach (var directory in Directory.EnumerateDirectories(_directory)) Images.RootfsMounts.Unmount(directory);
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
