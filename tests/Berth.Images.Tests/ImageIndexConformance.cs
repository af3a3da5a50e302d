using Berth.Images.Index;
using Berth.Oci.Image;

namespace Berth.Images.Tests;

/// <summary>What every <see cref="IImageIndex"/> must do; each implementation runs it through a subclass.</summary>
public abstract class ImageIndexConformance : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));

    protected abstract IImageIndex Index { get; }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static Digest D(char c) => Digest.Parse("sha256:" + new string(c, 64));

    private static Digest H(string text) => Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(text));

    protected static ImageRecord Image(char id, int layers = 2) => new(
        D(id), H("manifest"), MediaTypes.DockerManifest, new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
        [.. Enumerable.Range(0, layers).Select(i => new ImageLayer(H($"blob{i}"), MediaTypes.DockerLayerGzip, 100 + i, H($"diff{i}"), H($"chain{i}"), 1000 + i))]);

    [Fact]
    public async Task APutImageReadsBackWithItsLayersInOrder()
    {
        await Index.PutAsync(Image('1'), [], Now);
        Assert.Equal(Image('1'), await Index.GetAsync(D('1')));
        Assert.Equal([Image('1')], await Index.ListAsync());
        Assert.Null(await Index.GetAsync(D('2')));
        Assert.Equal(2001, (await Index.GetAsync(D('1')))!.Size);
    }

    [Fact]
    public async Task ReferencesPutWithAnImageResolveAndSetItsLastTagTime()
    {
        await Index.PutAsync(Image('1'), ["docker.io/library/a:latest", "docker.io/library/a@" + D('9')], Now);
        Assert.Equal(D('1'), await Index.ResolveAsync("docker.io/library/a:latest"));
        Assert.Equal(D('1'), await Index.ResolveAsync("docker.io/library/a@" + D('9')));
        Assert.Null(await Index.ResolveAsync("docker.io/library/b:latest"));
        Assert.Equal(Now, (await Index.GetAsync(D('1')))!.LastTagTime);
        Assert.Equal(2, (await Index.ReferencesAsync()).Count);
    }

    [Fact]
    public async Task SettingAReferenceMovesItAndReturnsThePreviousImage()
    {
        await Index.PutAsync(Image('1'), ["r:1"], Now);
        await Index.PutAsync(Image('2', layers: 0), [], Now);
        Assert.Equal(D('1'), await Index.SetReferenceAsync("r:1", D('2'), Now.AddDays(1)));
        Assert.Null(await Index.SetReferenceAsync("r:2", D('2'), Now.AddDays(1)));
        Assert.Equal(D('2'), await Index.ResolveAsync("r:1"));
        Assert.Equal(Now.AddDays(1), (await Index.GetAsync(D('2')))!.LastTagTime);
        Assert.Equal(Now, (await Index.GetAsync(D('1')))!.LastTagTime);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Index.SetReferenceAsync("r:3", D('7'), Now));
    }

    [Fact]
    public async Task RemovingAReferenceKeepsTheImage()
    {
        await Index.PutAsync(Image('1'), ["r:1"], Now);
        Assert.True(await Index.RemoveReferenceAsync("r:1"));
        Assert.False(await Index.RemoveReferenceAsync("r:1"));
        Assert.NotNull(await Index.GetAsync(D('1')));
        Assert.Empty(await Index.ReferencesAsync());
    }

    [Fact]
    public async Task DeletingAnImageDeletesItsReferencesOnly()
    {
        await Index.PutAsync(Image('1'), ["r:1", "r:2"], Now);
        await Index.PutAsync(Image('2'), ["s:1"], Now);
        Assert.True(await Index.DeleteAsync(D('1')));
        Assert.False(await Index.DeleteAsync(D('1')));
        Assert.Equal([new KeyValuePair<string, Digest>("s:1", D('2'))], await Index.ReferencesAsync());
        Assert.Equal([D('2')], (await Index.ListAsync()).Select(i => i.Id));
        Assert.Equal(2, (await Index.GetAsync(D('2')))!.Layers.Count);
    }

    [Fact]
    public async Task PuttingAnImageAgainReplacesItsRecord()
    {
        await Index.PutAsync(Image('1', layers: 3), [], Now);
        await Index.PutAsync(Image('1', layers: 1), [], Now);
        Assert.Single((await Index.GetAsync(D('1')))!.Layers);
    }

    [Fact]
    public async Task ConcurrentChangesAreAllApplied()
    {
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            Index.PutAsync(Image('1') with { Id = Digest.Sha256([(byte)i]) }, [$"r:{i}"], Now))));
        Assert.Equal(16, (await Index.ListAsync()).Count);
        Assert.Equal(16, (await Index.ReferencesAsync()).Count);
    }
}

public sealed class InMemoryImageIndexConformance : ImageIndexConformance
{
    protected override IImageIndex Index { get; } = new InMemoryImageIndex();
}

public sealed class SqliteImageIndexConformance : ImageIndexConformance
{
    private readonly TempDirectory _temp = new();
    private SqliteImageIndex? _index;

    protected override IImageIndex Index => _index ??= new SqliteImageIndex(_temp.Combine("berth.db"));

    [Fact]
    public async Task ChangesSurviveReopeningTheFileAndOtherTablesAreLeftAlone()
    {
        var path = _temp.Combine("berth.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE containers (id TEXT PRIMARY KEY); INSERT INTO containers VALUES ('c1');";
            command.ExecuteNonQuery();
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
        }
        await Index.PutAsync(Image('1'), ["r:1"], new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var reopened = new SqliteImageIndex(path);
        Assert.Equal(Image('1') with { LastTagTime = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) }, await reopened.GetAsync(D('1')));
        Assert.Equal(D('1'), await reopened.ResolveAsync("r:1"));
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode; SELECT id FROM containers;";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal("wal", reader.GetString(0));
            Assert.True(reader.NextResult() && reader.Read());
            Assert.Equal("c1", reader.GetString(0));
        }
    }

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
        base.Dispose();
    }
}

/// <summary>The image store over the durable index: a new store on the same files sees the same images.</summary>
public sealed class SqliteImageStoreTests : IDisposable
{
    private readonly StoreFixture _fixture = new(sqlite: true);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task AnImportedImageIsThereAfterARestart()
    {
        var image = await _fixture.ImportAsync(TestTar.Rootfs(), "busybox");
        var restarted = new ImageStore(_fixture.Content, _fixture.Snapshotter, _fixture.Snapshotter, new SqliteImageIndex(_fixture.DatabasePath));
        Assert.Equal(image.Id, (await restarted.ResolveAsync("busybox")).Id);
        Assert.Equal(["busybox:latest"], (await restarted.ListAsync()).Single().RepoTags);
        await restarted.DeleteAsync("busybox", false, []);
        await _fixture.AssertEmptyAsync();
    }
}
