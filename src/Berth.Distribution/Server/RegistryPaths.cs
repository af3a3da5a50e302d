using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>
/// Where the registry keeps everything in its <see cref="Storage.IStorageDriver"/>. The layout is the one the
/// reference registry (distribution, <c>registry:2</c>) uses, so a data root can move between the two; the
/// <c>_referrers</c> index is ours.
/// <code>
/// /docker/registry/v2/
///   blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data                         every blob and manifest, once, verified
///   repositories/&lt;name&gt;/                                       name may hold slashes
///     _layers/&lt;alg&gt;/&lt;hex&gt;/link                              the blob belongs to this repository
///     _manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link                 the manifest belongs to this repository
///     _manifests/tags/&lt;tag&gt;/current/link                     "&lt;alg&gt;:&lt;hex&gt;" of the tagged manifest
///     _manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link           every manifest this tag has named
///     _referrers/&lt;alg&gt;/&lt;subject-hex&gt;/&lt;alg&gt;/&lt;hex&gt;/link        manifest &lt;hex&gt; has subject &lt;subject-hex&gt;
///     _uploads/&lt;uuid&gt;/data                                   the bytes of an upload in progress
///     _uploads/&lt;uuid&gt;/startedat                              RFC 3339 time the upload began
/// </code>
/// Every link file holds a digest string. Names, tags, digests and upload ids are validated before they get here.
/// </summary>
public static class RegistryPaths
{
    public const string Root = "/docker/registry/v2";
    public const string Blobs = Root + "/blobs";
    public const string Repositories = Root + "/repositories";

    public static string BlobData(Digest digest) => $"{BlobDirectory(digest)}/data";

    public static string BlobDirectory(Digest digest) => $"{Blobs}/{digest.Algorithm}/{digest.Encoded[..2]}/{digest.Encoded}";

    public static string Repository(string name) => $"{Repositories}/{name}";

    public static string LayerLink(string name, Digest digest) => $"{Repository(name)}/_layers/{digest.Algorithm}/{digest.Encoded}/link";

    public static string Manifests(string name) => $"{Repository(name)}/_manifests";

    public static string Revisions(string name) => $"{Manifests(name)}/revisions";

    public static string RevisionLink(string name, Digest digest) => $"{Revisions(name)}/{digest.Algorithm}/{digest.Encoded}/link";

    public static string Tags(string name) => $"{Manifests(name)}/tags";

    public static string Tag(string name, string tag) => $"{Tags(name)}/{tag}";

    public static string TagCurrentLink(string name, string tag) => $"{Tag(name, tag)}/current/link";

    public static string TagIndexLink(string name, string tag, Digest digest) =>
        $"{Tag(name, tag)}/index/{digest.Algorithm}/{digest.Encoded}/link";

    public static string Referrers(string name, Digest subject) => $"{Repository(name)}/_referrers/{subject.Algorithm}/{subject.Encoded}";

    public static string ReferrerLink(string name, Digest subject, Digest referrer) =>
        $"{Referrers(name, subject)}/{referrer.Algorithm}/{referrer.Encoded}/link";

    public static string Uploads(string name) => $"{Repository(name)}/_uploads";

    public static string UploadData(string name, string uuid) => $"{Uploads(name)}/{uuid}/data";

    public static string UploadStartedAt(string name, string uuid) => $"{Uploads(name)}/{uuid}/startedat";

    public static string UploadDirectory(string name, string uuid) => $"{Uploads(name)}/{uuid}";
}
