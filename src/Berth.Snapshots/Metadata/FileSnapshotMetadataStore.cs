using System.Text.Json;

namespace Berth.Snapshots.Metadata;

/// <summary>
/// One JSON file per snapshot, <c>&lt;dir&gt;/&lt;id&gt;.json</c>, each written to a temp file, fsynced and renamed over the old one.
/// </summary>
public sealed class FileSnapshotMetadataStore(string directory) : ISnapshotMetadataStore
{
    private const string TempMarker = ".tmp-";

    public async Task<IReadOnlyList<SnapshotRecord>> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory)) return [];
        var records = new List<SnapshotRecord>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (file.Contains(TempMarker, StringComparison.Ordinal))
            {
                File.Delete(file); // a save that crashed before its rename
                continue;
            }
            if (!file.EndsWith(".json", StringComparison.Ordinal)) continue;
            await using var stream = File.OpenRead(file);
            var record = await JsonSerializer.DeserializeAsync(stream, SnapshotJsonContext.Default.SnapshotRecord, cancellationToken)
                ?? throw new InvalidDataException($"snapshot metadata {file} is empty");
            records.Add(record);
        }
        return records;
    }

    public async Task SaveAsync(SnapshotRecord record, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var final = PathOf(record.Id);
        var temp = $"{final}{TempMarker}{Guid.NewGuid():N}";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                await JsonSerializer.SerializeAsync(stream, record, SnapshotJsonContext.Default.SnapshotRecord, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, final, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(id));
        return Task.CompletedTask;
    }

    private string PathOf(string id) => Path.Combine(directory, id + ".json");
}
