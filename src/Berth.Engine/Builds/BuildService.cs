using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Engine.Images;

namespace Berth.Engine.Builds;

/// <summary>
/// Docker's legacy builder (<c>POST /build</c>): a Dockerfile from a context becomes an image, one image per step, each
/// step reused from the build cache when its parent, its instruction (expanded), the build args it sees and, for
/// COPY/ADD, the content of its sources are the same. RUN steps are containers run by the engine; COPY and ADD write
/// into a layer of their own; the other instructions change the config only. Step images are the final image's parent
/// chain (Docker's intermediate images), so the cache outlives restarts and prunes of dangling images.
/// </summary>
public sealed class BuildService(ContainerService containers, ImageService images, EngineOptions options)
{
    /// <summary>Builds, reporting as Docker does; returns the image id.</summary>
    /// <exception cref="BuildFailedException">the build failed: its message and exit code are what the stream reports.</exception>
    /// <exception cref="EngineException">an engine call failed (a pull, a create): its message is the stream's error.</exception>
    public async Task<string> BuildAsync(BuildRequest request, Stream context, IBuildOutput output, CancellationToken cancellationToken)
    {
        try
        {
            return await BuildCoreAsync(request, context, output, cancellationToken);
        }
        catch (BuildException e)
        {
            throw new BuildFailedException(e.Message, e.Code, e);
        }
        catch (Exception e) when (e is Snapshots.SnapshotException or IOException or UnauthorizedAccessException or Linux.LinuxException)
        {
            throw new BuildFailedException(e.Message, 1, e); // a step's filesystem work failed: the build stops with its reason
        }
    }

    private async Task<string> BuildCoreAsync(BuildRequest request, Stream context, IBuildOutput output, CancellationToken cancellationToken)
    {
        using var directory = await OpenContextAsync(request, context, cancellationToken);
        DockerfileDocument document;
        try
        {
            document = DockerfileParser.Parse(directory.ReadDockerfile(request.Dockerfile));
        }
        catch (DockerfileException e)
        {
            throw new BuildException(e.ToDockerMessage(request.Dockerfile), inner: e);
        }
        var session = new BuildSession(request, directory, document, containers, images, options, output);
        var imageId = await session.RunAsync(cancellationToken);
        await FinishAsync(request, session, imageId, output, cancellationToken);
        return imageId;
    }

    /// <summary>The context: the request's body, or what its <c>remote</c> names (then the body is not read).</summary>
    private async Task<BuildContextDirectory> OpenContextAsync(BuildRequest request, Stream body, CancellationToken cancellationToken)
    {
        switch (request.Remote)
        {
            case null or "":
                return await BuildContextDirectory.ExtractAsync(body, request.Dockerfile, options, cancellationToken);
            case RemoteContext.ClientSession:
                throw new BuildException("experimental session with v1 builder is no longer supported, use builder version v2 (BuildKit) instead");
            case var git when RemoteContext.IsGitUrl(git):
                return await BuildContextDirectory.CloneAsync(git, options, cancellationToken);
            case var url when RemoteContext.IsUrl(url):
                await using (var download = await RemoteContext.DownloadAsync(url, cancellationToken))
                    return await BuildContextDirectory.ExtractAsync(download, request.Dockerfile, options, cancellationToken);
            default:
                throw new BuildException($"remoteURL ({request.Remote}) could not be recognized as URL");
        }
    }

    /// <summary>The key prefix of the layers COPY, ADD and WORKDIR steps write into (and of the ones COPY --from reads).</summary>
    internal const string LayerPrefix = "build-";

    /// <summary>
    /// Removes what killed builds left: their directories (unmounting what is mounted there) and their step layers. RUN
    /// steps' containers are containers like any other, as Docker leaves them. Called at daemon start, before any build.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        BuildContextDirectory.Sweep(options);
        await images.RemoveLayersAsync(LayerPrefix, cancellationToken);
    }

    private async Task FinishAsync(BuildRequest request, BuildSession session, string imageId, IBuildOutput output, CancellationToken cancellationToken)
    {
        if (session.UnconsumedArgs is { Count: > 0 } unconsumed && !request.Quiet)
            await output.WriteAsync($"[Warning] One or more build-args [{string.Join(' ', unconsumed)}] were not consumed\n", cancellationToken);
        await output.ImageIdAsync(imageId, cancellationToken);
        if (request.Quiet)
        {
            await output.WriteAsync(imageId + "\n", cancellationToken);
        }
        else
        {
            await output.WriteAsync($"Successfully built {Short(imageId)}\n", cancellationToken);
        }
        foreach (var tag in request.Tags)
        {
            await images.TagAsync(imageId, tag, cancellationToken);
            if (!request.Quiet) await output.WriteAsync($"Successfully tagged {Familiar(tag)}\n", cancellationToken);
        }
    }

    internal static string Short(string imageId) => imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId[7..19] : imageId[..12];

    /// <summary>A tag as Docker prints it: with its <c>:latest</c>, without <c>docker.io/library/</c>.</summary>
    private static string Familiar(string tag) =>
        Oci.Image.ImageReference.TryParse(tag, out var reference) ? reference!.WithDefaultTag().Familiar : tag;
}
