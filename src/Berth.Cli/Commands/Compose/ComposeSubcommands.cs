namespace Berth.Cli.Commands.Compose;

/// <summary>The subcommands of <c>berth compose</c>, in the order its help lists them.</summary>
internal static class ComposeSubcommands
{
    private static readonly Func<ComposeSubcommand>[] All =
    [
        () => new ComposeAttachCommand(),
        () => new ComposeBuildCommand(),
        () => new ConfigCommand(),
        () => new ComposeCpCommand(),
        () => new ComposeCreateCommand(),
        () => new DownCommand(),
        () => new ComposeEventsCommand(),
        () => new ComposeExecCommand(),
        () => new ComposeImagesCommand(),
        () => ContainerActionCommand.Kill(),
        () => new ComposeLogsCommand(),
        () => new ComposeLsCommand(),
        () => ContainerActionCommand.Pause(),
        () => new ComposePortCommand(),
        () => new ComposePsCommand(),
        () => new ComposePullCommand(),
        () => new ComposePushCommand(),
        () => ContainerActionCommand.Restart(),
        () => new ComposeRmCommand(),
        () => new ComposeRunCommand(),
        () => ContainerActionCommand.Start(),
        () => ContainerActionCommand.Stop(),
        () => new ComposeTopCommand(),
        () => ContainerActionCommand.Unpause(),
        () => new UpCommand(),
        () => new ComposeVersionCommand(),
        () => new ComposeWaitCommand(),
    ];

    public static ComposeSubcommand? Create(string name) => All.Select(create => create()).FirstOrDefault(c => c.Name == name);

    public static IEnumerable<(string Name, string Short)> Summaries => All.Select(create => create()).Select(c => (c.Name, c.Short));
}
