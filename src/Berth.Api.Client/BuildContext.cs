using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Berth.Dockerfile;

namespace Berth.Api.Client;

/// <summary>
/// The body of <c>POST /build</c>, packed as the docker CLI packs it: a directory walked with its
/// <c>.dockerignore</c> applied (the Dockerfile and the <c>.dockerignore</c> always sent, owners 0:0, modes and
/// symlinks kept), a tar passed through from a stream, or a lone Dockerfile wrapped in a tar. A Dockerfile from
/// elsewhere (outside the directory, or stdin) travels as <c>.dockerfile.&lt;random&gt;</c>, which the sent
/// <c>.dockerignore</c> then names so that <c>COPY .</c> leaves it out.
/// </summary>
public sealed class BuildContext
{
    public const string DefaultDockerfileName = "Dockerfile";
    private const string IgnoreFileName = ".dockerignore";

    /// <summary>The docker CLI writes a Dockerfile from elsewhere 0600, and a lone Dockerfile from stdin as a new file (0644).</summary>
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode ReadableByAll = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int SendBuffer = 1 << 18;

    private readonly Func<Stream, CancellationToken, Task> _write;

    private BuildContext(string? dockerfileName, Func<Stream, CancellationToken, Task> write)
    {
        DockerfileName = dockerfileName;
        _write = write;
    }

    /// <summary>The Dockerfile's path inside the context for the <c>dockerfile</c> parameter; null for the default.</summary>
    public string? DockerfileName { get; }

    /// <summary>Called with the number of bytes sent once the whole context is written (the CLI's "Sending build context" line).</summary>
    public Action<long>? Sent { get; set; }

    /// <summary>Gzip the context on its way (<c>--compress</c>); the daemon sniffs the compression.</summary>
    public bool Compress { get; set; }

    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        // The tar comes in headers of 512 bytes and files' pieces: gathered here, the chunks sent are large and few. Flushed
        // at the end, not disposed: the connection's stream is the HTTP client's.
        var counting = new CountingStream(new BufferedStream(destination, SendBuffer));
        if (Compress)
        {
            var gzip = new GZipStream(counting, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
                await _write(gzip, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _write(counting, cancellationToken).ConfigureAwait(false);
        }
        await counting.FlushAsync(cancellationToken).ConfigureAwait(false);
        Sent?.Invoke(counting.Count);
    }

    /// <summary>
    /// A directory context. <paramref name="dockerfile"/> is the Dockerfile's path relative to the directory (from
    /// <see cref="ResolveDockerfile"/>); <paramref name="dockerfileContent"/>, when given, replaces it: the Dockerfile
    /// read from stdin or from outside the directory. The walk happens now, so unreadable files fail before sending.
    /// </summary>
    /// <exception cref="BuildContextException">A bad <c>.dockerignore</c> or an unreadable file, with docker's text.</exception>
    public static BuildContext FromDirectory(string directory, string dockerfile, byte[]? dockerfileContent = null)
    {
        var ignorePath = Path.Combine(directory, IgnoreFileName);
        var ignoreText = File.Exists(ignorePath) ? File.ReadAllText(ignorePath) : null;
        DockerIgnore ignore;
        try
        {
            ignore = ignoreText is null ? DockerIgnore.Empty : DockerIgnore.Parse(ignoreText);
        }
        catch (FormatException e)
        {
            throw new BuildContextException(e.Message);
        }
        ignore = ignore.Keeping(IgnoreFileName);
        if (dockerfileContent is null)
            ignore = ignore.Keeping(dockerfile);
        var entries = ContextWalker.Walk(directory, ignore);
        if (dockerfileContent is null)
            return new BuildContext(dockerfile, (stream, token) => ContextTar.WriteAsync(stream, entries, null, default, token));
        var name = ".dockerfile." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var extra = new Dictionary<string, byte[]>
        {
            [name] = dockerfileContent,
            [IgnoreFileName] = Encoding.UTF8.GetBytes((ignoreText ?? IgnoreFileName) + "\n" + name + "\n"),
        };
        return new BuildContext(name, (stream, token) => ContextTar.WriteAsync(stream, entries, extra, OwnerReadWrite, token));
    }

    /// <summary>No context: the daemon fetches it (<see cref="ImageBuildOptions.RemoteContext"/>).</summary>
    public static BuildContext Remote(string? dockerfile) => new(dockerfile, (_, _) => Task.CompletedTask);

    /// <summary>
    /// The context from a stream (<c>berth build -</c>): a tar, compressed or not, passes through as is; anything else is
    /// a Dockerfile, sent as the only file of a tar. <paramref name="dockerfile"/> is the <c>-f</c> value.
    /// </summary>
    /// <exception cref="BuildContextException">The stream is not an archive but <c>-f -</c> wanted it to be one.</exception>
    public static async Task<BuildContext> FromStreamAsync(Stream input, string? dockerfile, CancellationToken cancellationToken)
    {
        var head = new byte[512];
        var length = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        head = head[..length];
        if (ArchiveSniffer.IsArchive(head))
        {
            return new BuildContext(string.IsNullOrEmpty(dockerfile) ? null : dockerfile, async (stream, token) =>
            {
                await stream.WriteAsync(head, token).ConfigureAwait(false);
                await input.CopyToAsync(stream, token).ConfigureAwait(false);
            });
        }
        if (dockerfile == "-")
            throw new BuildContextException("build context is not an archive");
        using var rest = new MemoryStream();
        rest.Write(head);
        await input.CopyToAsync(rest, cancellationToken).ConfigureAwait(false);
        var content = new Dictionary<string, byte[]> { [DefaultDockerfileName] = rest.ToArray() };
        return new BuildContext(DefaultDockerfileName, (stream, token) => ContextTar.WriteAsync(stream, [], content, ReadableByAll, token));
    }

    /// <summary>
    /// The Dockerfile's path relative to <paramref name="contextDirectory"/> (docker's <c>getDockerfileRelPath</c>):
    /// <c>-f</c> relative to the working directory, else <c>Dockerfile</c> (or <c>dockerfile</c>) in the context,
    /// symlinks resolved. A result starting with <c>../</c> lies outside the context.
    /// </summary>
    /// <exception cref="BuildContextException">No such Dockerfile: <c>cannot locate Dockerfile: "…"</c>.</exception>
    public static string ResolveDockerfile(string contextDirectory, string? dockerfile)
    {
        var path = string.IsNullOrEmpty(dockerfile) ? Path.Combine(contextDirectory, DefaultDockerfileName) : Path.GetFullPath(dockerfile);
        if (string.IsNullOrEmpty(dockerfile) && !Exists(path) && Exists(Path.Combine(contextDirectory, "dockerfile")))
            path = Path.Combine(contextDirectory, "dockerfile");
        if (!Exists(path))
            throw new BuildContextException($"cannot locate Dockerfile: \"{path}\"");
        var resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return Path.GetRelativePath(contextDirectory, resolved).Replace('\\', '/');
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}

/// <summary>A context that cannot be prepared; the message is docker's, without its <c>unable to prepare context:</c> prefix.</summary>
public sealed class BuildContextException(string message) : Exception(message);
