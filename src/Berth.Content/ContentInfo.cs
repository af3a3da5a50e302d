using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>A committed blob.</summary>
public sealed record ContentInfo(Digest Digest, long Size, DateTimeOffset CreatedAt);

/// <summary>An ingest in progress or abandoned: <see cref="Offset"/> bytes are stored so far.</summary>
public sealed record IngestStatus(
    string Reference, long Offset, long? ExpectedSize, Digest? Expected, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt);
