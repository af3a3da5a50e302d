using Berth.Oci.Image;

namespace Berth.Content.Memory;

/// <summary>An ingest's bytes and metadata, kept by the store across writers.</summary>
internal sealed class MemoryIngest(string reference, DateTimeOffset startedAt, Digest? expected, long? expectedSize)
{
    public string Reference { get; } = reference;
    public MemoryStream Data { get; } = new();
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset UpdatedAt { get; set; } = startedAt;

    public bool Matches(Digest? otherExpected, long? otherSize) => expected == otherExpected && expectedSize == otherSize;

    public IngestStatus Status() => new(Reference, Data.Length, expectedSize, expected, StartedAt, UpdatedAt);
}
