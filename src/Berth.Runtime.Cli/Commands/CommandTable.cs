namespace Berth.Runtime.Cli.Commands;

/// <summary>runc's commands, each in its own file.</summary>
public static class CommandTable
{
    private static readonly Dictionary<string, Func<CommandContext, IReadOnlyList<string>, int>> Commands = new()
    {
        ["create"] = CreateCommand.Run,
        ["start"] = StartCommand.Run,
        ["run"] = RunCommand.Run,
        ["exec"] = ExecCommand.Run,
        ["state"] = StateCommand.Run,
        ["kill"] = KillCommand.Run,
        ["delete"] = DeleteCommand.Run,
        ["ps"] = PsCommand.Run,
        ["list"] = ListCommand.Run,
        ["pause"] = PauseCommand.Pause,
        ["resume"] = PauseCommand.Resume,
        ["spec"] = SpecCommand.Run,
        ["features"] = FeaturesCommand.Run,
    };

    public const string Usage = """
        berth-runtime: an OCI runtime with runc's command line

        usage: berth-runtime [--root DIR] [--log FILE] [--log-format text|json] COMMAND [OPTIONS] [ARGS]

        commands:
          create    create a container from a bundle (state "created")
          start     run the user's process of a created container
          run       create and start a container
          exec      run a process in a running container
          state     print a container's state as JSON
          kill      send a signal to a container's init (or every process with --all)
          delete    delete a stopped container (--force: any)
          ps        list the processes of a container
          list      list containers
          pause     freeze every process of a container
          resume    thaw a paused container
          spec      write a default config.json
          features  print what this runtime supports, as JSON
        """;

    public static int Run(string name, CommandContext context, IReadOnlyList<string> args) =>
        Commands.TryGetValue(name, out var command) ? command(context, args)
        : throw new UsageException($"No help topic for '{name}'");
}
