using Berth.Oci.Image;

namespace Berth.Images.Archive;

/// <summary>
/// The files of an archive being loaded, each already in the content store under the digest computed while it was read.
/// Paths are clean and relative; symlinks and hard links inside the archive are aliases of the file they reach.
/// </summary>
internal sealed class ArchiveFiles
{
    private const int MaxLinkDepth = 16;
    private readonly Dictionary<string, Digest> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public void AddFile(string path, Digest digest) => _files[path] = digest;

    /// <summary>A hard link (target relative to the archive's root) or a symlink (relative to its own directory).</summary>
    /// <exception cref="ImageException">InvalidArgument: the target leaves the archive.</exception>
    public void AddLink(string path, string target, bool symbolic)
    {
        var joined = symbolic && !target.StartsWith('/') ? path[..(path.LastIndexOf('/') + 1)] + target : target;
        var parts = new List<string>();
        foreach (var part in joined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part != "..") parts.Add(part);
            else if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
            else throw ImageException.Invalid($"invalid archive: link {path} -> {target} leaves the archive");
        }
        if (target.StartsWith('/')) throw ImageException.Invalid($"invalid archive: link {path} -> {target} leaves the archive");
        _links[path] = string.Join('/', parts);
    }

    public bool Contains(string path) => TryGet(path, out _);

    /// <summary>The digest of the file at <paramref name="path"/>, following links.</summary>
    public bool TryGet(string path, out Digest digest)
    {
        var clean = Clean(path);
        for (var depth = 0; clean is not null && depth < MaxLinkDepth; depth++)
        {
            if (_files.TryGetValue(clean, out digest)) return true;
            if (!_links.TryGetValue(clean, out var next)) break;
            clean = Clean(next);
        }
        digest = default;
        return false;
    }

    /// <exception cref="ImageException">InvalidArgument: no such file in the archive.</exception>
    public Digest Get(string path) =>
        TryGet(path, out var digest) ? digest : throw ImageException.Invalid($"invalid archive: {path} is missing");

    /// <summary>
    /// A blob of the OCI layout (<c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>) named by <paramref name="digest"/>, verified: the file's
    /// computed digest must be the one its path claims.
    /// </summary>
    public Digest Blob(Digest digest) => Verified($"blobs/{digest.Algorithm}/{digest.Encoded}");

    /// <summary>The file at <paramref name="path"/>; when the path names a digest (an OCI blob path, or a legacy <c>&lt;hex&gt;.json</c>), checked against it.</summary>
    public Digest Verified(string path)
    {
        var digest = Get(path);
        var clean = Clean(path) ?? "";
        var name = clean[(clean.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".json", StringComparison.Ordinal)) name = name[..^5];
        var claimed = clean.StartsWith("blobs/", StringComparison.Ordinal) ? $"{clean.Split('/')[1]}:{name}"
            : name.Length == 64 ? "sha256:" + name : null;
        if (claimed is not null && claimed != digest.ToString())
            throw ImageException.Invalid($"invalid archive: {path} has digest {digest}, not {claimed}");
        return digest;
    }

    /// <summary>A clean relative archive path; null for one that leaves the archive (absolute or with <c>..</c>).</summary>
    public static string? Clean(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (path.StartsWith('/') || parts.Contains("..") || path.Contains('\0')) return null;
        return string.Join('/', parts);
    }
}
