using Berth.Cli.Cli;

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
        var images = new ServiceImages(context, project, new ComposeProgress(context.Err));
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
        var images = new ServiceImages(context, project, new ComposeProgress(context.Err));
        foreach (var service in ServiceSelection.Select(project, args, withDependencies: false).Where(s => s.Build is not null))
            await images.BuildAsync(service, ContainerSpec.ImageName(project, service), cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
