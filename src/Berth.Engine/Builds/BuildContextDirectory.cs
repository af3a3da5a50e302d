using System.Text;
using Berth.Build;
using Berth.Dockerfile;
using Berth.Snapshots;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Builds;

/// <summary>
/// A build's context and its working directory (<c>&lt;data-root&gt;/builder/contexts/&lt;random&gt;</c>), removed with
/// it. The body is a tar (plain, gzip, zstd, bzip2 or xz, sniffed; bzip2 and xz through the host's <c>bzip2</c>/<c>xz</c>,
/// as moby does for xz), or a bare Dockerfile. A tar is indexed as it arrives (<see cref="ContextIndex"/>) and kept as
/// it came; it is unpacked only when a step needs its files (<see cref="RootAsync"/>), by the layer applier: names with
/// <c>..</c> are refused, nothing is written outside the directory, links keep their targets.
/// </summary>
internal sealed class BuildContextDirectory : IDisposable
{
    private const string DefaultDockerfile = "Dockerfile";
    /// <summary>Large pieces, below the large-object heap's 85 000 bytes: buffers allocated per build are then cheap to collect.</summary>
    private const int ReadAhead = 1 << 16;

    private readonly string _directory;
    private readonly SemaphoreSlim _unpacking = new(1, 1);
    private string? _archive;

    private BuildContextDirectory(string directory)
    {
        _directory = directory;
        Root = Path.Combine(directory, "context");
        Tree = new DiskTree(Root);
    }

    /// <summary>The context as COPY reads it.</summary>
    public ISourceTree Tree { get; private set; }

    private string Root { get; }

    /// <summary>Where the builds' directories live: swept at daemon start (a killed build leaves its own).</summary>
    public static string BuilderRoot(EngineOptions options) => Path.Combine(options.DataRoot, "builder", "contexts");

    /// <exception cref="BuildException">a hostile or broken tar, or a compression the host cannot undo.</exception>
    public static async Task<BuildContextDirectory> ExtractAsync(Stream body, string dockerfile, EngineOptions options, CancellationToken cancellationToken)
    {
        var context = new BuildContextDirectory(Path.Combine(BuilderRoot(options), Guid.NewGuid().ToString("N")));
        try
        {
            Directory.CreateDirectory(context.Root);
            await context.ReceiveAsync(body, [dockerfile.TrimStart('/'), ".dockerignore"], cancellationToken);
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>A git repository as the context: its files checked out (with its <c>.git</c>, as moby sends them) at the subdirectory the URL names.</summary>
    /// <exception cref="BuildException">what <see cref="GitCheckout"/> refuses.</exception>
    public static async Task<BuildContextDirectory> CloneAsync(string url, EngineOptions options, CancellationToken cancellationToken)
    {
        var context = new BuildContextDirectory(Path.Combine(BuilderRoot(options), Guid.NewGuid().ToString("N")));
        try
        {
            var checkout = await GitCheckout.CloneAsync(url, context.NewDirectory("git"), RemoteContext.Http, cancellationToken);
            Directory.Move(checkout, context.Root);
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

    /// <summary>The context unpacked on disk (unpacked now if it was not yet).</summary>
    public async Task<string> RootAsync(CancellationToken cancellationToken)
    {
        await _unpacking.WaitAsync(cancellationToken); // stages building at once may both need it
        try
        {
            if (_archive is not { } archive) return Root;
            await using (var tar = File.OpenRead(archive))
            {
                try
                {
                    await LayerApplier.ApplyAsync(tar, Root, WhiteoutMode.Delete, cancellationToken);
                }
                catch (SnapshotException e)
                {
                    throw new BuildException($"failed to read the build context: {e.Message}", inner: e);
                }
            }
            File.Delete(archive);
            _archive = null;
            return Root;
        }
        finally
        {
            _unpacking.Release();
        }
    }

    /// <summary>A new empty directory of this build's own (a mount point, downloads), removed with the build.</summary>
    public string NewDirectory(string purpose)
    {
        var path = Path.Combine(_directory, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The Dockerfile's text: <paramref name="name"/> in the context (Docker's message when it is missing).</summary>
    public string ReadDockerfile(string name) =>
        Text(name) ?? throw new BuildException($"Cannot locate specified Dockerfile: {name}");

    /// <summary>The context's <c>.dockerignore</c>, or null.</summary>
    public DockerIgnore? ReadDockerIgnore() => Text(".dockerignore") is { } text ? DockerIgnore.Parse(text) : null;

    private string? Text(string name)
    {
        if (Tree is ContextIndex index) return index.Text(name);
        var path = ScopedPath.ResolveOnDisk(Root, name);
        return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
    }

    private async Task ReceiveAsync(Stream body, IReadOnlyCollection<string> keep, CancellationToken cancellationToken)
    {
        var head = new byte[ArchiveFormat.HeadLength];
        var count = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var kind = ArchiveFormat.Sniff(head.AsSpan(0, count));
        _archive = Path.Combine(_directory, "context.tar");
        if (ArchiveFormat.NeedsTool(kind))
        {
            await ReceiveCompressedAsync(kind, head.AsMemory(0, count), body, keep, cancellationToken);
            return;
        }
        // The body comes in pieces of a few KiB: the archive is written in large blocks.
        await using var file = new FileStream(_archive, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: ReadAhead);
        await using var tee = new PrefixedStream(head.AsMemory(0, count), body, copy: file);
        if (kind == ArchiveKind.NotArchive)
        {
            await tee.CopyToAsync(Stream.Null, cancellationToken);
            file.Close();
            File.Move(_archive, Path.Combine(Root, DefaultDockerfile)); // a bare Dockerfile, as `docker build - < Dockerfile` sends it
            _archive = null;
            return;
        }
        // The tar reader reads a header, then an entry's data, in small pieces: it reads from a buffer filled a large chunk
        // at a time, so the body comes in and goes to the archive in few large reads and writes. (Not disposed: that
        // would close the tee, which reads on below.)
        var buffered = new BufferedStream(tee, ReadAhead);
        await using (var tar = await LayerCompression.OpenDecompressedAsync(buffered, cancellationToken))
            Tree = await ContextIndex.ReadAsync(tar, keep, cancellationToken);
        await tee.CopyToAsync(Stream.Null, cancellationToken); // what the tar reader left (padding) belongs to the archive too
    }

    /// <summary>bzip2 and xz: the body is kept, decompressed by the host's tool into the archive, and indexed from there.</summary>
    private async Task ReceiveCompressedAsync(ArchiveKind kind, ReadOnlyMemory<byte> head, Stream body, IReadOnlyCollection<string> keep,
        CancellationToken cancellationToken)
    {
        var raw = Path.Combine(_directory, "body");
        await using (var file = File.Create(raw))
        {
            await file.WriteAsync(head, cancellationToken);
            await body.CopyToAsync(file, cancellationToken);
        }
        await ArchiveFormat.DecompressAsync(kind, raw, _archive!, cancellationToken);
        File.Delete(raw);
        await using var tar = File.OpenRead(_archive!);
        Tree = await ContextIndex.ReadAsync(tar, keep, cancellationToken);
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
