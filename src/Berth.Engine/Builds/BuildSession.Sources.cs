using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Images;

namespace Berth.Engine.Builds;

internal sealed partial class BuildSession
{
    /// <summary>Where a COPY's sources are: the context (with its .dockerignore), or a stage's or an image's files, mounted for the step.</summary>
    private sealed class SourceRoot(ISourceTree tree, DockerIgnore? ignore, Func<ValueTask>? release) : IAsyncDisposable
    {
        public ISourceTree Tree { get; } = tree;
        public DockerIgnore? Ignore { get; } = ignore;

        public ValueTask DisposeAsync() => release?.Invoke() ?? ValueTask.CompletedTask;
    }

    private async Task<SourceRoot> SourceRootAsync(CopyInstruction copy, CancellationToken cancellationToken)
    {
        if (copy.From is not { Length: > 0 } from) return new SourceRoot(context.Tree, _ignore, null);
        var (root, release) = await MountImageAsync(await FromImageAsync(from, cancellationToken), cancellationToken);
        return new SourceRoot(new DiskTree(root), null, release);
    }

    /// <summary>The image a <c>--from</c> names: an earlier stage's result (null: an empty stage), or an image (pulled when missing).</summary>
    private async Task<string?> FromImageAsync(string from, CancellationToken cancellationToken) =>
        _plan.Find(from, _current.Value!.Stage.Index) is { } stage
            ? (await StageResultAsync(stage, cancellationToken)).ImageId
            : (await BaseImageAsync(from, cancellationToken)).Id;

    /// <summary>
    /// The image's files on a throwaway writable layer, mounted in the build's directory: what is written there is
    /// discarded by the release, which unmounts and removes the layer.
    /// </summary>
    private async Task<(string Root, Func<ValueTask> Release)> MountImageAsync(string? imageId, CancellationToken cancellationToken)
    {
        var key = BuildService.LayerPrefix + "from-" + Guid.NewGuid().ToString("N");
        var root = context.NewDirectory("from");
        await images.MountNewLayerAsync(imageId, key, root, cancellationToken);
        return (root, async () => await images.UnmountRootAsync(key, root, removeLayer: true, CancellationToken.None));
    }
}
