namespace Berth.Cli.Commands.Compose;

/// <summary>The subcommands of <c>berth compose</c>, in the order its help lists them.</summary>
internal static class ComposeSubcommands
{
    private static readonly Func<ComposeSubcommand>[] All =
    [
        () => new ConfigCommand(),
        () => new DownCommand(),
        () => ContainerActionCommand.Kill(),
        () => new ComposeLogsCommand(),
        () => ContainerActionCommand.Pause(),
        () => new ComposePsCommand(),
        () => ContainerActionCommand.Restart(),
        () => new ComposeRmCommand(),
        () => ContainerActionCommand.Start(),
        () => ContainerActionCommand.Stop(),
        () => ContainerActionCommand.Unpause(),
        () => new UpCommand(),
    ];

    public static ComposeSubcommand? Create(string name) => All.Select(create => create()).FirstOrDefault(c => c.Name == name);

    public static IEnumerable<(string Name, string Short)> Summaries => All.Select(create => create()).Select(c => (c.Name, c.Short));
}
