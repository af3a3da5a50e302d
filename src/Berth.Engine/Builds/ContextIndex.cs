using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux;

namespace Berth.Engine.Builds;

/// <summary>
/// The build context as its tar lists it, read once as it arrives: each entry's kind, mode, size, link target and
/// content hash, and the text of the Dockerfile and .dockerignore. A rebuild whose steps all come from the cache needs
/// nothing more, so the context is unpacked to disk only when a step needs its files. Names are cleaned as the layer
/// applier cleans them; one that climbs out with <c>..</c> is refused.
/// </summary>
internal sealed class ContextIndex : ISourceTree
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal) { [""] = Entry.Directory() };
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    private sealed record Entry(FileStatus Status, string? LinkTarget, byte[]? Hash, SortedSet<string>? Children)
    {
        public static Entry Directory() => new(new FileStatus(0x41ED, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0), null, null, new(StringComparer.Ordinal));
    }

    /// <summary>Reads the tar; the texts of <paramref name="keep"/> (context paths) are kept for <see cref="Text"/>.</summary>
    /// <exception cref="Berth.Build.BuildException">a name that climbs out of the context, or a tar that is not one.</exception>
    public static async Task<ContextIndex> ReadAsync(Stream tar, IReadOnlyCollection<string> keep, CancellationToken cancellationToken)
    {
        var index = new ContextIndex();
        try
        {
            await using var reader = new TarReader(tar, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                await index.AddAsync(entry, keep, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new Berth.Build.BuildException($"failed to read the build context: the body is not a valid tar ({e.GetType().Name})", inner: e);
        }
        return index;
    }

    /// <summary>A kept file's text (the Dockerfile, .dockerignore), or null when the context has no such file.</summary>
    public string? Text(string path) => _texts.GetValueOrDefault(Clean(path) ?? "");

    public FileStatus? Stat(string path) => _entries.TryGetValue(path, out var entry) ? entry.Status : null;

    public string? LinkTarget(string path) => _entries.TryGetValue(path, out var entry) ? entry.LinkTarget : null;

    public IEnumerable<string> Children(string path) =>
        _entries.TryGetValue(path, out var entry) && entry.Children is { } children ? children : [];

    public byte[] ContentHash(string path) => _entries[path].Hash ?? SHA256.HashData(ReadOnlySpan<byte>.Empty);

    private async Task AddAsync(TarEntry tar, IReadOnlyCollection<string> keep, CancellationToken cancellationToken)
    {
        var name = Clean(tar.Name) ?? throw new Berth.Build.BuildException($"failed to read the build context: the entry {tar.Name} climbs out of it");
        if (name.Length == 0) return;
        var (kind, hash, link) = (FileKind.Regular, (byte[]?)null, (string?)null);
        switch (tar.EntryType)
        {
            case TarEntryType.Directory:
                kind = FileKind.Directory;
                break;
            case TarEntryType.SymbolicLink:
                (kind, link) = (FileKind.Symlink, tar.LinkName);
                break;
            case TarEntryType.HardLink:
                hash = Clean(tar.LinkName) is { } target && _entries.TryGetValue(target, out var linked) ? linked.Hash : null;
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                hash = await HashAsync(tar, keep.Contains(name) ? name : null, cancellationToken);
                break;
            default:
                return; // devices, fifos: not part of what COPY takes from a context
        }
        var status = new FileStatus((uint)kind | (uint)tar.Mode, (uint)tar.Uid, (uint)tar.Gid, 0, 0, 1, kind == FileKind.Regular ? tar.Length : 0, 0, 0,
            tar.ModificationTime.ToUnixTimeSeconds(), 0);
        var existing = _entries.GetValueOrDefault(name);
        _entries[name] = new Entry(status, link, hash, kind == FileKind.Directory ? existing?.Children ?? new(StringComparer.Ordinal) : null);
        AddToParents(name);
    }

    private async Task<byte[]> HashAsync(TarEntry tar, string? keep, CancellationToken cancellationToken)
    {
        if (tar.DataStream is not { } data) return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        if (keep is null) return await HashAsync(data, cancellationToken);
        using var copy = new MemoryStream();
        await data.CopyToAsync(copy, cancellationToken);
        _texts[keep] = Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);
        return SHA256.HashData(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    /// <summary>SHA-256 of a stream read in large chunks (the one-shot hash reads 4 KiB at a time, each read a trip through the streams below).</summary>
    private static async Task<byte[]> HashAsync(Stream data, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, cancellationToken)) > 0) hash.AppendData(buffer, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Makes the missing parent directories (a tar may list a file before, or without, its directory).</summary>
    private void AddToParents(string name)
    {
        while (true)
        {
            var slash = name.LastIndexOf('/');
            var parent = slash < 0 ? "" : name[..slash];
            if (!_entries.TryGetValue(parent, out var entry) || entry.Children is null) _entries[parent] = entry = Entry.Directory();
            if (!entry.Children!.Add(slash < 0 ? name : name[(slash + 1)..]) || parent.Length == 0) return;
            name = parent;
        }
    }

    /// <summary>A tar name as a clean relative path (<c>./a//b/</c> → <c>a/b</c>); null when it climbs out.</summary>
    private static string? Clean(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }
}
