using System.Text;
using Berth.Distribution.Storage;

namespace Berth.Conformance.Storage;

/// <summary>
/// What every <see cref="IStorageDriver"/> must do; each implementation runs it through a subclass.
/// The registry relies on exactly these behaviours (atomic put and move, writer rollback, not-found errors).
/// </summary>
public abstract class StorageDriverConformance : IDisposable
{
    private IStorageDriver? _driver;

    protected IStorageDriver Driver => _driver ??= CreateDriver();

    protected abstract IStorageDriver CreateDriver();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private async Task<string> ReadAllAsync(string path, long offset = 0)
    {
        await using var stream = await Driver.OpenReadAsync(path, offset);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task PutThenGetReturnsTheSameBytes()
    {
        await Driver.PutContentAsync("/a/b/c", Bytes("hello"));
        Assert.Equal("hello", Encoding.UTF8.GetString(await Driver.GetContentAsync("/a/b/c")));
    }

    [Fact]
    public async Task PutReplacesExistingContent()
    {
        await Driver.PutContentAsync("/f", Bytes("a longer first version"));
        await Driver.PutContentAsync("/f", Bytes("short"));
        Assert.Equal("short", Encoding.UTF8.GetString(await Driver.GetContentAsync("/f")));
        Assert.Equal(5, (await Driver.StatAsync("/f"))!.Size);
    }

    [Fact]
    public async Task EmptyContentIsAFileOfSizeZero()
    {
        await Driver.PutContentAsync("/empty", ReadOnlyMemory<byte>.Empty);
        var info = await Driver.StatAsync("/empty");
        Assert.NotNull(info);
        Assert.False(info.IsDirectory);
        Assert.Equal(0, info.Size);
        Assert.Empty(await Driver.GetContentAsync("/empty"));
    }

    [Fact]
    public async Task MissingPathsRaisePathNotFound()
    {
        await Assert.ThrowsAsync<PathNotFoundException>(() => Driver.GetContentAsync("/nope"));
        await Assert.ThrowsAsync<PathNotFoundException>(() => Driver.OpenReadAsync("/nope"));
        await Assert.ThrowsAsync<PathNotFoundException>(() => Driver.ListAsync("/nope"));
        await Assert.ThrowsAsync<PathNotFoundException>(() => Driver.MoveAsync("/nope", "/other"));
        await Assert.ThrowsAsync<PathNotFoundException>(() => Driver.DeleteAsync("/nope"));
        Assert.Null(await Driver.StatAsync("/nope"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative")]
    [InlineData("/trailing/")]
    [InlineData("/a//b")]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    [InlineData("/a/b c")]
    [InlineData("/a/b:c")]
    [InlineData("/a\\b")]
    public async Task MalformedPathsAreRejected(string path)
    {
        await Assert.ThrowsAsync<InvalidPathException>(() => Driver.PutContentAsync(path, Bytes("x")));
        await Assert.ThrowsAsync<InvalidPathException>(() => Driver.StatAsync(path));
    }

    [Fact]
    public async Task StatDescribesFilesAndDirectories()
    {
        await Driver.PutContentAsync("/dir/file", Bytes("12345"));
        var file = await Driver.StatAsync("/dir/file");
        var directory = await Driver.StatAsync("/dir");
        Assert.Equal(new { Size = 5L, IsDirectory = false }, new { file!.Size, file.IsDirectory });
        Assert.True(directory!.IsDirectory);
    }

    [Fact]
    public async Task ListReturnsDirectChildrenSortedAsFullPaths()
    {
        await Driver.PutContentAsync("/list/b", Bytes("1"));
        await Driver.PutContentAsync("/list/a/deep", Bytes("2"));
        await Driver.PutContentAsync("/list/c", Bytes("3"));
        await Driver.PutContentAsync("/listing-not-a-child", Bytes("4"));
        Assert.Equal(["/list/a", "/list/b", "/list/c"], await Driver.ListAsync("/list"));
    }

    [Fact]
    public async Task ListOfRootShowsOnlyWhatWasStored()
    {
        await Driver.PutContentAsync("/one", Bytes("1"));
        await Driver.PutContentAsync("/two/x", Bytes("2"));
        Assert.Equal(["/one", "/two"], await Driver.ListAsync("/"));
    }

    [Fact]
    public async Task OpenReadStartsAtTheOffset()
    {
        await Driver.PutContentAsync("/r", Bytes("0123456789"));
        Assert.Equal("0123456789", await ReadAllAsync("/r"));
        Assert.Equal("789", await ReadAllAsync("/r", 7));
        Assert.Equal("", await ReadAllAsync("/r", 10));
        await Assert.ThrowsAsync<InvalidOffsetException>(() => Driver.OpenReadAsync("/r", 11));
        await Assert.ThrowsAsync<InvalidOffsetException>(() => Driver.OpenReadAsync("/r", -1));
    }

    [Fact]
    public async Task CommittedWriterContentIsReadable()
    {
        await using (var writer = await Driver.CreateWriterAsync("/w/data", append: false))
        {
            await writer.WriteAsync(Bytes("abc"));
            await writer.WriteAsync(Bytes("def"));
            Assert.Equal(6, writer.Size);
            await writer.CommitAsync();
        }
        Assert.Equal("abcdef", await ReadAllAsync("/w/data"));
    }

    [Fact]
    public async Task AppendingWriterResumesWhereTheFileEnds()
    {
        await using (var first = await Driver.CreateWriterAsync("/w/data", append: true))
        {
            await first.WriteAsync(Bytes("abc"));
            await first.CommitAsync();
        }
        await using (var second = await Driver.CreateWriterAsync("/w/data", append: true))
        {
            Assert.Equal(3, second.Size);
            await second.WriteAsync(Bytes("def"));
            await second.CommitAsync();
        }
        Assert.Equal("abcdef", await ReadAllAsync("/w/data"));
    }

    [Fact]
    public async Task NonAppendingWriterTruncates()
    {
        await Driver.PutContentAsync("/w/data", Bytes("old content"));
        await using (var writer = await Driver.CreateWriterAsync("/w/data", append: false))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(Bytes("new"));
            await writer.CommitAsync();
        }
        Assert.Equal("new", await ReadAllAsync("/w/data"));
    }

    [Fact]
    public async Task CancelledAppendRollsBackToTheLastCommit()
    {
        await using (var first = await Driver.CreateWriterAsync("/w/data", append: true))
        {
            await first.WriteAsync(Bytes("kept"));
            await first.CommitAsync();
        }
        await using (var second = await Driver.CreateWriterAsync("/w/data", append: true))
        {
            await second.WriteAsync(Bytes("-dropped"));
            await second.CancelAsync();
        }
        Assert.Equal("kept", await ReadAllAsync("/w/data"));
    }

    [Fact]
    public async Task WriterDisposedWithoutCommitLeavesNothingBehind()
    {
        await using (var writer = await Driver.CreateWriterAsync("/interrupted/upload/data", append: true))
        {
            await writer.WriteAsync(Bytes("half a layer"));
        }
        Assert.Null(await Driver.StatAsync("/interrupted/upload/data"));
        Assert.Null(await Driver.StatAsync("/interrupted"));
    }

    [Fact]
    public async Task MoveRenamesAndReplacesTheDestination()
    {
        await Driver.PutContentAsync("/src/file", Bytes("new"));
        await Driver.PutContentAsync("/dst/deep/file", Bytes("old"));
        await Driver.MoveAsync("/src/file", "/dst/deep/file");
        Assert.Equal("new", Encoding.UTF8.GetString(await Driver.GetContentAsync("/dst/deep/file")));
        Assert.Null(await Driver.StatAsync("/src/file"));
    }

    [Fact]
    public async Task MoveCreatesTheDestinationsParents()
    {
        await Driver.PutContentAsync("/m/file", Bytes("x"));
        await Driver.MoveAsync("/m/file", "/x/y/z/file");
        Assert.Equal("x", Encoding.UTF8.GetString(await Driver.GetContentAsync("/x/y/z/file")));
    }

    [Fact]
    public async Task DeleteRemovesADirectoryTree()
    {
        await Driver.PutContentAsync("/t/a/1", Bytes("1"));
        await Driver.PutContentAsync("/t/a/b/2", Bytes("2"));
        await Driver.PutContentAsync("/t/keep", Bytes("3"));
        await Driver.DeleteAsync("/t/a");
        Assert.Null(await Driver.StatAsync("/t/a"));
        Assert.Null(await Driver.StatAsync("/t/a/b/2"));
        Assert.Equal(["/t/keep"], await Driver.ListAsync("/t"));
    }

    [Fact]
    public async Task DirectoriesDisappearWithTheirLastFile()
    {
        await Driver.PutContentAsync("/p/q/r/file", Bytes("1"));
        await Driver.PutContentAsync("/p/other", Bytes("2"));
        await Driver.DeleteAsync("/p/q/r/file");
        Assert.Null(await Driver.StatAsync("/p/q"));
        Assert.Equal(["/p/other"], await Driver.ListAsync("/p"));
    }

    [Fact]
    public async Task ConcurrentPutsLeaveOneCompleteVersion()
    {
        var versions = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 64 * 1024)).ToArray();
        await Task.WhenAll(versions.Select(v => Task.Run(() => Driver.PutContentAsync("/race", Bytes(v)))));
        var content = Encoding.UTF8.GetString(await Driver.GetContentAsync("/race"));
        Assert.Contains(content, versions);
        Assert.Equal(["/race"], await Driver.ListAsync("/"));
    }

    [Fact]
    public async Task ReadersKeepTheirSnapshotWhileTheFileIsReplaced()
    {
        await Driver.PutContentAsync("/snap", Bytes("first version"));
        await using var stream = await Driver.OpenReadAsync("/snap");
        await Driver.PutContentAsync("/snap", Bytes("second"));
        using var reader = new StreamReader(stream);
        Assert.Equal("first version", await reader.ReadToEndAsync());
    }
}

public sealed class InMemoryDriverConformance : StorageDriverConformance
{
    protected override IStorageDriver CreateDriver() => new InMemoryDriver();
}

public sealed class FileSystemDriverConformance : StorageDriverConformance
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-storage-" + Guid.NewGuid().ToString("N"));

    protected override IStorageDriver CreateDriver() => new FileSystemDriver(_root);

    public override void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        base.Dispose();
    }

    [Fact]
    public async Task FilesLandUnderTheRootAtTheirPath()
    {
        await Driver.PutContentAsync("/docker/registry/v2/x", Encoding.UTF8.GetBytes("y"));
        Assert.Equal("y", await File.ReadAllTextAsync(Path.Combine(_root, "docker", "registry", "v2", "x")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".berth-tmp")));
    }
}
