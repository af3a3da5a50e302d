using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Each service's image, made present before its containers are created: built (<c>build:</c>, when missing or with
/// <c>--build</c>), or pulled as <c>pull_policy</c> says (<c>missing</c> by default, <c>always</c>, <c>never</c>).
/// </summary>
internal sealed class ServiceImages(CliContext context, ComposeProject project, ComposeProgress progress)
{
    public async Task EnsureAsync(ServiceConfig service, bool forceBuild, CancellationToken cancellationToken)
    {
        var image = ContainerSpec.ImageName(project, service);
        var present = await PresentAsync(image, cancellationToken).ConfigureAwait(false);
        var policy = service.PullPolicy ?? "missing";
        if (service.Build is not null && (forceBuild || !present || policy == "build"))
            await BuildAsync(service, image, cancellationToken).ConfigureAwait(false);
        else if (policy == "always" || !present && policy != "never")
            await PullAsync(service, image, cancellationToken).ConfigureAwait(false);
        else if (!present)
            throw new InvalidOperationException($"No such image: {image}");
    }

    private async Task<bool> PresentAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await context.Client.ImageInspectAsync(image, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    public async Task PullAsync(ServiceConfig service, string image, CancellationToken cancellationToken)
    {
        var reference = ImageReference.TryParse(image) ?? throw new InvalidOperationException($"invalid reference format: {image}");
        progress.Event(service.Name, "Pulling");
        var messages = context.Client.ImagePullAsync(new ImagePullOptions
        {
            FromImage = reference.FamiliarName,
            Tag = reference.PullTag,
            Platform = service.Platform,
            RegistryAuth = await context.RegistryAuthAsync(reference, cancellationToken).ConfigureAwait(false),
        }, cancellationToken);
        await JsonMessageDisplay.WriteAsync(messages, TextWriter.Null, false, cancellationToken, context.ProgressWidth, context.Clock).ConfigureAwait(false);
        progress.Event(service.Name, "Pulled");
    }

    public async Task BuildAsync(ServiceConfig service, string image, CancellationToken cancellationToken)
    {
        var build = service.Build!;
        var id = "Image " + image;
        progress.Event(id, "Building");
        var dockerfile = BuildContext.ResolveDockerfile(build.Context, Path.GetFullPath(build.Dockerfile, build.Context));
        var buildContext = BuildContext.FromDirectory(build.Context, dockerfile);
        var options = new ImageBuildOptions
        {
            Tags = [image],
            Dockerfile = buildContext.DockerfileName,
            BuildArgs = build.Args.ToDictionary(a => a.Key, a => (string?)a.Value),
            Labels = new Dictionary<string, string>(build.Labels)
            {
                [ComposeLabels.Project] = project.Name,
                [ComposeLabels.Service] = service.Name,
                [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
            },
            Target = build.Target,
        };
        await JsonMessageDisplay.WriteAsync(context.Client.ImageBuildAsync(buildContext, options, cancellationToken), context.Err, false,
            cancellationToken, context.ProgressWidth, context.Clock).ConfigureAwait(false);
        progress.Event(id, "Built");
    }
}
