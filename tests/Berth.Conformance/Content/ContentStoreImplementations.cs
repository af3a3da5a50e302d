using Berth.Content;
using Berth.Content.FileSystem;
using Berth.Content.Memory;

namespace Berth.Conformance.Content;

public sealed class MemoryContentStoreConformance : ContentStoreConformance
{
    protected override IContentStore CreateStore() => new MemoryContentStore();

    // An in-memory store lives as long as its instance: a restarted consumer in the same process gets the same one.
    protected override IContentStore Reopen() => Store;
}

public sealed class FileContentStoreConformance : ContentStoreConformance
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-content-" + Guid.NewGuid().ToString("N"));

    protected override IContentStore CreateStore() => new FileContentStore(_root);

    protected override IContentStore Reopen() => new FileContentStore(_root);

    public override void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        base.Dispose();
    }
}
