using System.Formats.Tar;

namespace Berth.Snapshots.Layers;

/// <summary>One entry of a layer tar as <see cref="LayerTarReader"/> reads it: extended headers, GNU long names and
/// sparse maps already folded in.</summary>
public sealed class LayerTarEntry
{
    public required string Name { get; init; }

    /// <summary>The entry's kind; a sparse file (GNU or PAX) is a <see cref="TarEntryType.RegularFile"/> with a <see cref="SparseMap"/>.</summary>
    public required TarEntryType EntryType { get; init; }

    /// <summary>Permission bits with setuid, setgid and sticky (the low 12 bits of the header's mode).</summary>
    public uint Mode { get; init; }

    public int Uid { get; init; }
    public int Gid { get; init; }
    public DateTimeOffset ModificationTime { get; init; }

    /// <summary>A symlink's target or a hard link's target name, verbatim.</summary>
    public string LinkName { get; init; } = "";

    public int DeviceMajor { get; init; }
    public int DeviceMinor { get; init; }

    /// <summary>The file's length: for a sparse file, the whole file, holes included.</summary>
    public long Length { get; init; }

    /// <summary>Extended attributes from <c>SCHILY.xattr.*</c> records, their values as the raw bytes the archive holds.</summary>
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>For a sparse file, where its data segments go, in order; <see cref="DataStream"/> holds them back to back.
    /// Null for a dense file.</summary>
    public IReadOnlyList<SparseSegment>? SparseMap { get; init; }

    /// <summary>The stored data (a sparse file's segments back to back); valid until the next entry is read.</summary>
    public required Stream DataStream { get; init; }
}

/// <summary>A run of data at <see cref="Offset"/> in a sparse file; what lies between runs is a hole.</summary>
public readonly record struct SparseSegment(long Offset, long Length);
