using System.Globalization;
using System.Text;

namespace Berth.Snapshots.Layers;

public sealed partial class LayerTarReader
{
    /// <summary>
    /// GNU's old sparse header: four (offset, length) pairs at 386, then while the "is extended" byte is set, blocks
    /// of 21 more pairs, each ending in its own flag. A pair whose offset field is empty ends the map.
    /// </summary>
    private async ValueTask<List<SparseSegment>> ReadGnuSparseMapAsync(CancellationToken cancellationToken)
    {
        var map = new List<SparseSegment>();
        var extended = ReadPairs(_header.AsSpan(386, 4 * 24), map) && _header[482] != 0;
        var block = new byte[Block];
        while (extended)
        {
            await ReadExactlyAsync(block, cancellationToken);
            extended = ReadPairs(block.AsSpan(0, 21 * 24), map) && block[504] != 0;
        }
        return map;
    }

    /// <returns>false when an empty pair ended the map.</returns>
    private static bool ReadPairs(ReadOnlySpan<byte> pairs, List<SparseSegment> map)
    {
        for (var i = 0; i < pairs.Length; i += 24)
        {
            if (pairs[i] == 0) return false;
            map.Add(new SparseSegment(Number(pairs.Slice(i, 12), "sparse offset"), Number(pairs.Slice(i + 12, 12), "sparse length")));
        }
        return true;
    }

    /// <summary>The segments must lie in order inside the file and add up to the data the archive stores.</summary>
    private static void CheckSparse(string name, IReadOnlyList<SparseSegment> map, long stored, long length)
    {
        long end = 0, total = 0;
        foreach (var (offset, count) in map)
        {
            if (offset < end || count < 0 || offset > length - count)
                throw new LayerFormatException($"{name}: its sparse map is out of order or past the file's end");
            end = offset + count;
            total += count;
        }
        if (total != stored) throw new LayerFormatException($"{name}: its sparse map holds {total} bytes, the archive {stored}");
    }

    /// <summary>
    /// The records of PAX extended headers ("LEN key=value\n"), later ones replacing earlier ones. Values stay bytes:
    /// an xattr's value is binary. PAX sparse files: 0.0 repeats GNU.sparse.offset/numbytes, 0.1 has GNU.sparse.map,
    /// 1.0 puts the map at the head of the file's data.
    /// </summary>
    private sealed class ExtendedHeader
    {
        private readonly Dictionary<string, byte[]> _records = new(StringComparer.Ordinal);
        private readonly Dictionary<string, byte[]> _xattrs = new(StringComparer.Ordinal);
        private readonly List<long> _sparse00 = [];

        public IReadOnlyDictionary<string, byte[]> Xattrs => _xattrs;

        public bool IsSparse => _records.ContainsKey("GNU.sparse.major") || _records.ContainsKey("GNU.sparse.map") || _sparse00.Count > 0;

        public void Parse(ReadOnlySpan<byte> data)
        {
            while (data.Length > 0)
            {
                var space = data.IndexOf((byte)' ');
                if (space <= 0 || !int.TryParse(data[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                    length <= space + 1 || length > data.Length || data[length - 1] != '\n')
                    throw new LayerFormatException("an extended header record is malformed");
                var record = data[(space + 1)..(length - 1)];
                var equals = record.IndexOf((byte)'=');
                if (equals <= 0) throw new LayerFormatException("an extended header record has no key");
                var key = Encoding.UTF8.GetString(record[..equals]);
                var value = record[(equals + 1)..].ToArray();
                if (key.StartsWith(XattrPrefix, StringComparison.Ordinal)) _xattrs[key[XattrPrefix.Length..]] = value;
                else if (key is "GNU.sparse.offset" or "GNU.sparse.numbytes") _sparse00.Add(ParseLong(key, value));
                else _records[key] = value;
                data = data[length..];
            }
        }

        public string? Text(string key) => _records.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null;

        public long? Long(string key) => _records.TryGetValue(key, out var value) ? ParseLong(key, value) : null;

        /// <summary>A PAX time: decimal seconds since the epoch with an optional fraction.</summary>
        public DateTimeOffset? Time(string key)
        {
            if (Text(key) is not { } text) return null;
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                throw new LayerFormatException($"the extended header's {key} is not a time");
            var whole = (long)decimal.Truncate(seconds);
            return DateTimeOffset.FromUnixTimeSeconds(whole).AddTicks((long)((seconds - whole) * TimeSpan.TicksPerSecond));
        }

        public async ValueTask<(List<SparseSegment> Map, long Length)> SparseMapAsync(Stream data, CancellationToken cancellationToken)
        {
            if (Text("GNU.sparse.major") == "1")
            {
                var length = Long("GNU.sparse.realsize") ?? throw new LayerFormatException("a PAX 1.0 sparse file has no GNU.sparse.realsize");
                return (await ReadDataMapAsync(data, cancellationToken), length);
            }
            var size = Long("GNU.sparse.size") ?? throw new LayerFormatException("a PAX sparse file has no GNU.sparse.size");
            var numbers = Text("GNU.sparse.map") is { } map
                ? map.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => ParseLong("GNU.sparse.map", Encoding.UTF8.GetBytes(n))).ToList()
                : _sparse00;
            return (Pairs(numbers), size);
        }

        /// <summary>PAX 1.0: decimal lines (the count, then offset and length pairs) padded to a block, read from the data.</summary>
        private static async ValueTask<List<SparseSegment>> ReadDataMapAsync(Stream data, CancellationToken cancellationToken)
        {
            var consumed = 0L;
            var line = new StringBuilder();
            var one = new byte[1];
            async ValueTask<long> NextNumberAsync()
            {
                line.Clear();
                while (true)
                {
                    if (await data.ReadAsync(one, cancellationToken) == 0) throw new LayerFormatException("a PAX 1.0 sparse map is cut short");
                    consumed++;
                    if (one[0] == '\n') break;
                    if (line.Length > 20) throw new LayerFormatException("a PAX 1.0 sparse map holds a number too long");
                    line.Append((char)one[0]);
                }
                return ParseLong("GNU.sparse map", Encoding.ASCII.GetBytes(line.ToString()));
            }
            var count = await NextNumberAsync();
            if (count > 1 << 20) throw new LayerFormatException("a PAX 1.0 sparse map holds too many segments");
            var numbers = new List<long>();
            for (var i = 0; i < count * 2; i++) numbers.Add(await NextNumberAsync());
            var skip = new byte[Padding(consumed)];
            await data.ReadExactlyAsync(skip, cancellationToken);
            return Pairs(numbers);
        }

        private static List<SparseSegment> Pairs(List<long> numbers)
        {
            if (numbers.Count % 2 != 0) throw new LayerFormatException("a sparse map has an offset without a length");
            return [.. Enumerable.Range(0, numbers.Count / 2).Select(i => new SparseSegment(numbers[2 * i], numbers[2 * i + 1]))];
        }

        private static long ParseLong(string key, ReadOnlySpan<byte> value) =>
            long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new LayerFormatException($"the extended header's {key} is not a number");
    }
}
