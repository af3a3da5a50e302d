using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose pull</c>: each service's image pulled (services that only build are skipped).</summary>
internal sealed class ComposePullCommand : ComposeSubcommand
{
    public override string Name => "pull";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Pull service images";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("quiet", 'q', "Pull without printing progress information", _ => { });
        flags.Bool("ignore-pull-failures", null, "Pull what it can and ignores images with pull failures", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var project = Compose.Load(context, args);
        using var progress = ComposeProgress.For(context, Compose, "pull");
        var images = new ServiceImages(context, project, progress);
        foreach (var service in ServiceSelection.Select(project, args, withDependencies: false).Where(s => s.Image is not null))
            await images.PullAsync(service, service.Image!, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}

/// <summary><c>berth compose build</c>: each service with a <c>build</c> section built and tagged with its image name.</summary>
internal sealed class ComposeBuildCommand : ComposeSubcommand
{
    public override string Name => "build";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Build or rebuild services";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("quiet", 'q', "Don't print anything to STDOUT", _ => { });
        flags.Bool("pull", null, "Always attempt to pull a newer version of the image", _ => { });
        flags.Bool("no-cache", null, "Do not use cache when building the image", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var project = Compose.Load(context, args);
        using var progress = ComposeProgress.For(context, Compose, "build");
        var images = new ServiceImages(context, project, progress);
        foreach (var service in ServiceSelection.Select(project, args, withDependencies: false).Where(s => s.Build is not null))
            await images.BuildAsync(service, ContainerSpec.ImageName(project, service), cancellationToken).ConfigureAwait(false);
        return 0;
    }
}

/// <summary>
/// <c>berth compose push</c>: the images of services that build one and name it (<c>build:</c> and <c>image:</c>);
/// the others are skipped, as compose v2 does.
/// </summary>
internal sealed class ComposePushCommand : ComposeSubcommand
{
    private bool _ignoreFailures;
    private bool _includeDeps;

    public override string Name => "push";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Push service images";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("ignore-push-failures", null, "Push what it can and ignores images with push failures", v => _ignoreFailures = v);
        flags.Bool("include-deps", null, "Also push images of services declared as dependencies", v => _includeDeps = v);
        flags.Bool("quiet", 'q', "Push without printing progress information", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var project = Compose.Load(context, args);
        using var progress = ComposeProgress.For(context, Compose, "push");
        foreach (var service in ServiceSelection.Select(project, args, _includeDeps))
        {
            if (service.Build is null || service.Image is not { } image)
            {
                progress.Event(service.Name, "Skipped");
                continue;
            }
            progress.Event(image, "Pushing");
            try
            {
                await PushAsync(context, image, cancellationToken).ConfigureAwait(false);
                progress.Event(image, "Pushed");
            }
            catch (Exception e) when (e is JsonStreamException or ApiException && _ignoreFailures)
            {
                progress.Event(image, e.Message);
            }
        }
        return 0;
    }

    private static async Task PushAsync(CliContext context, string image, CancellationToken cancellationToken)
    {
        var reference = ImageReference.TryParse(image) ?? throw new StatusException(1, $"invalid reference format: {image}");
        var messages = context.Client.ImagePushAsync(new ImagePushOptions
        {
            Name = $"{reference.Domain}/{reference.Path}",
            Tag = reference.Tag ?? "latest",
            RegistryAuth = await context.RegistryAuthAsync(reference, cancellationToken).ConfigureAwait(false),
        }, cancellationToken);
        await JsonMessageDisplay.WriteAsync(messages, TextWriter.Null, false, cancellationToken, context.ProgressWidth, context.Clock).ConfigureAwait(false);
    }
}
