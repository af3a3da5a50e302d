using Berth.Engine.Images;
using Berth.Images;

namespace Berth.Engine.Containers;

/// <summary>
/// <c>docker commit</c>'s inputs: <see cref="Reference"/> (<c>repo[:tag]</c>) names the image; <see cref="Config"/> (the
/// request body) sets fields over the container's; <see cref="Changes"/> are Dockerfile instructions applied last.
/// </summary>
public sealed record CommitRequest
{
    public string? Reference { get; init; }
    public string? Comment { get; init; }
    public string? Author { get; init; }
    public bool Pause { get; init; } = true;
    public IReadOnlyList<string> Changes { get; init; } = [];
    public Model.ContainerConfig? Config { get; init; }
}

public sealed partial class ContainerService
{
    /// <summary>
    /// Makes an image of the container's filesystem changes on its image, with its config (Docker's commit). A running
    /// container is paused meanwhile unless <see cref="CommitRequest.Pause"/> is false; the container keeps its layer.
    /// </summary>
    /// <returns>The new image's id.</returns>
    /// <exception cref="EngineException">NotFound; InvalidArgument for a bad reference or change.</exception>
    public async Task<string> CommitAsync(string idOrName, CommitRequest request, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        var image = await _images.ResolveAsync(container.ImageId, cancellationToken);
        var containerConfig = CommittedConfig.Merge(container.Config, image.Config);
        var config = request.Config is null ? containerConfig : CommittedConfig.Merge(request.Config, containerConfig);
        try
        {
            config = ConfigChanges.Apply(config, request.Changes);
        }
        catch (ImageException e)
        {
            throw ImageService.ToEngine(e);
        }
        var paused = await PauseForCommitAsync(container, request.Pause, cancellationToken);
        string id;
        try
        {
            id = await _images.CommitAsync(new ImageCommitSpec
            {
                ParentImageId = container.ImageId,
                Config = config,
                LayerKey = ContainerLayout.SnapshotKey(container.Id),
                ContainerConfig = containerConfig,
                ContainerId = container.Id,
                CreatedBy = string.Join(' ', [container.Path, .. container.Args]),
                Comment = request.Comment,
                Author = request.Author,
                References = request.Reference is null ? [] : [request.Reference],
            }, cancellationToken);
        }
        finally
        {
            if (paused is not null) await paused.Task.ResumeAsync(CancellationToken.None);
        }
        Publish(container, "commit", new Dictionary<string, string> { ["comment"] = request.Comment ?? "", ["imageID"] = id, ["imageRef"] = request.Reference ?? "" });
        return id;
    }

    /// <summary>Pauses a running, unpaused container for a commit; returns its run, to resume, or null when nothing was paused.</summary>
    private async Task<ContainerRun?> PauseForCommitAsync(Container container, bool pause, CancellationToken cancellationToken)
    {
        if (!pause || container.State.Status != ContainerStatus.Running || container.Run is not { } run) return null;
        await run.Task.PauseAsync(cancellationToken);
        return run;
    }
}
