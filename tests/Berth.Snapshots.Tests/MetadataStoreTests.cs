using Berth.Snapshots.Metadata;

namespace Berth.Snapshots.Tests;

public sealed class MetadataStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Stores => ["file", "memory"];

    private ISnapshotMetadataStore Create(string kind) =>
        kind == "file" ? new FileSnapshotMetadataStore(_temp.Combine("metadata")) : new InMemorySnapshotMetadataStore();

    private static SnapshotRecord Record(string id, string name) =>
        new(id, name, "parent", SnapshotKind.Active, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Theory, MemberData(nameof(Stores))]
    public async Task SavedRecordsLoadBackAndASaveReplacesTheSameId(string kind)
    {
        var store = Create(kind);
        await store.SaveAsync(Record("1", "a"));
        await store.SaveAsync(Record("2", "b"));
        await store.SaveAsync(Record("1", "a") with { Name = "renamed", Kind = SnapshotKind.Committed });
        var loaded = (await store.LoadAsync()).OrderBy(r => r.Id).ToList();
        Assert.Equal([Record("1", "a") with { Name = "renamed", Kind = SnapshotKind.Committed }, Record("2", "b")], loaded);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task DeletedRecordsAreGone(string kind)
    {
        var store = Create(kind);
        await store.SaveAsync(Record("1", "a"));
        await store.DeleteAsync("1");
        Assert.Empty(await store.LoadAsync());
    }

    [Fact]
    public async Task TheFileStoreSurvivesANewInstanceAndDropsHalfWrittenFiles()
    {
        var dir = _temp.Combine("metadata");
        await new FileSnapshotMetadataStore(dir).SaveAsync(Record("1", "a"));
        File.WriteAllText(Path.Combine(dir, "2.json.tmp-abc"), "{ half");
        Assert.Equal([Record("1", "a")], await new FileSnapshotMetadataStore(dir).LoadAsync());
        Assert.Equal(["1.json"], Directory.EnumerateFiles(dir).Select(Path.GetFileName));
    }
}
