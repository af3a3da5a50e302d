using System.Collections.Concurrent;
using Berth.Engine.Containers;
using Berth.Oci.Image;
using Berth.Snapshots;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Tests.Fakes;

/// <summary>
/// One image (<c>busybox</c>, <c>CMD ["sh"]</c>) and those a test adds to <see cref="Others"/>; "mounting" a root
/// creates its directory and is recorded.
/// </summary>
public sealed class FakeContainerImages : IContainerImages
{
    public const string ImageId = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    public ConcurrentDictionary<string, bool> Mounted { get; } = new();

    /// <summary>More images, by every reference that names them (their id too, if a test resolves by id).</summary>
    public ConcurrentDictionary<string, ResolvedImage> Others { get; } = new();

    public Task<ResolvedImage> ResolveAsync(string reference, CancellationToken cancellationToken = default) =>
        reference is "busybox" or ImageId
            ? Task.FromResult(new ResolvedImage(ImageId, new ImageRuntimeConfig { Cmd = ["sh"] }))
            : Others.TryGetValue(reference, out var other)
                ? Task.FromResult(other)
                : throw new EngineException(ErrorKind.NotFound, $"No such image: {reference}");

    public Task MountRootAsync(string imageId, string key, string target, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(target);
        Mounted[target] = true;
        return Task.CompletedTask;
    }

    public Task UnmountRootAsync(string key, string target, bool removeLayer, CancellationToken cancellationToken = default)
    {
        Mounted[target] = false;
        return Task.CompletedTask;
    }

    /// <summary>Every commit asked for, in order.</summary>
    public ConcurrentQueue<Berth.Engine.Images.ImageCommitSpec> Commits { get; } = new();

    public Task<string> CommitAsync(Berth.Engine.Images.ImageCommitSpec spec, CancellationToken cancellationToken = default)
    {
        Commits.Enqueue(spec);
        var id = "sha256:" + Convert.ToHexStringLower(global::System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(Commits.Count)));
        Others[id] = new ResolvedImage(id, spec.Config);
        return Task.FromResult(id);
    }

    public Task<long> WritableLayerSizeAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    /// <summary>The changes a test sets per writable layer; a layer without an entry was never made.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<FileChange>> Changes { get; } = new();

    public Task<IReadOnlyList<FileChange>> ChangesAsync(string key, IReadOnlySet<string> hidden, CancellationToken cancellationToken = default) =>
        Changes.TryGetValue(key, out var changes) ? Task.FromResult(changes) : throw new SnapshotException(SnapshotErrorKind.NotFound, $"snapshot {key}: not found");
}
