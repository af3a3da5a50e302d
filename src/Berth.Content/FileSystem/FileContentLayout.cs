using System.Security.Cryptography;
using System.Text;
using Berth.Oci.Image;

namespace Berth.Content.FileSystem;

/// <summary>Where a <see cref="FileContentStore"/> keeps things under its root.</summary>
internal sealed class FileContentLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string BlobsDir => Path.Combine(Root, "blobs");

    public string IngestRoot => Path.Combine(Root, "ingest");

    // <root>/
    //   blobs/
    //     <algorithm>/              sha256 or sha512
    //       <encoded>               a committed blob, mode 0444; it appears only by rename from an ingest's data
    //   ingest/
    //     <sha256 hex of the ref>/  one per ingest; the ref is hashed so no ref can name a path
    //       ref                     the ref, verbatim: written first, so a directory without it is crash debris
    //       startedat               when the ingest began (ISO 8601)
    //       expected                the expected digest, when the writer was opened with one
    //       total                   the expected size, when the writer was opened with one
    //       data                    the bytes so far: its length is the offset, its mtime the last update
    public string BlobPath(Digest digest) => Path.Combine(BlobsDir, digest.Algorithm, digest.Encoded);

    public string IngestDir(string reference) =>
        Path.Combine(IngestRoot, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference))));

    public static string RefFile(string ingestDir) => Path.Combine(ingestDir, "ref");
    public static string StartedAtFile(string ingestDir) => Path.Combine(ingestDir, "startedat");
    public static string ExpectedFile(string ingestDir) => Path.Combine(ingestDir, "expected");
    public static string TotalFile(string ingestDir) => Path.Combine(ingestDir, "total");
    public static string DataFile(string ingestDir) => Path.Combine(ingestDir, "data");
}
