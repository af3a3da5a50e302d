using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose create</c>: <c>up</c>'s work without starting anything (networks, volumes, images, containers).</summary>
internal sealed class ComposeCreateCommand : ComposeSubcommand
{
    private readonly List<string> _scale = [];
    private bool _build;
    private bool _noBuild;
    private bool _forceRecreate;
    private bool _noRecreate;
    private bool _removeOrphans;

    public override string Name => "create";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Creates containers for a service";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("build", null, "Build images before starting containers", v => _build = v);
        flags.Bool("force-recreate", null, "Recreate containers even if their configuration and image haven't changed", v => _forceRecreate = v);
        flags.Bool("no-build", null, "Don't build an image, even if it's policy", v => _noBuild = v);
        flags.Bool("no-recreate", null, "If containers already exist, don't recreate them. Incompatible with --force-recreate.", v => _noRecreate = v);
        flags.String("pull", null, "Pull image before running (\"always\"|\"missing\"|\"never\"|\"build\")", _ => { }, "\"policy\"");
        flags.Bool("quiet-pull", null, "Pull without printing progress information", _ => { });
        flags.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file", v => _removeOrphans = v);
        flags.List("scale", null, "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.", _scale);
        flags.Bool("yes", 'y', "Assume \"yes\" as answer to all prompts and run non-interactively", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_build && _noBuild)
            throw new StatusException(1, "--build and --no-build are incompatible");
        if (_forceRecreate && _noRecreate)
            throw new StatusException(1, "--force-recreate and --no-recreate are incompatible");
        var project = Compose.Load(context, args);
        var options = new ConvergeOptions
        {
            ForceRecreate = _forceRecreate,
            NoRecreate = _noRecreate,
            Build = _build,
            Start = false,
            Scale = _scale.Select(ProjectCreation.ParseScale).ToDictionary(s => s.Service, s => s.Count),
        };
        using var progress = ComposeProgress.For(context, Compose, "create");
        await ProjectCreation.RunAsync(context, project, ServiceSelection.Select(project, args), progress, options, _removeOrphans, cancellationToken)
            .ConfigureAwait(false);
        return 0;
    }
}
