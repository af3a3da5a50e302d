using Berth.Cli.Cli;
using Berth.Cli.Commands.Container;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose exec SERVICE COMMAND</c>: <c>berth exec</c> in the service's container (<c>--index</c> picks a
/// replica), with a terminal unless <c>-T</c> or stdin is not one, as compose does.
/// </summary>
internal sealed class ComposeExecCommand : ComposeSubcommand
{
    private readonly List<string> _env = [];
    private bool _detach;
    private bool _noTty;
    private bool _privileged;
    private int _index = 1;
    private string? _user;
    private string? _workdir;

    public override string Name => "exec";
    public override string Usage => "[OPTIONS] SERVICE COMMAND [ARGS...]";
    public override string Short => "Execute a command in a running container";
    public override ArgsRule Args => ArgsRule.AtLeast(2);
    public override bool Interspersed => false;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("detach", 'd', "Detached mode: Run command in the background", v => _detach = v);
        flags.List("env", 'e', "Set environment variables", _env);
        flags.Int("index", null, "Index of the container if service has multiple replicas", v => _index = v, "1");
        flags.Bool("no-TTY", 'T', "Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY.", v => _noTty = v);
        flags.Bool("privileged", null, "Give extended privileges to the process", v => _privileged = v);
        flags.String("user", 'u', "Run the command as this user", v => _user = v);
        flags.String("workdir", 'w', "Path to workdir directory for this command", v => _workdir = v);
        flags.Bool("interactive", 'i', "Keep STDIN open even if not attached", _ => { });
        flags.Bool("tty", 't', "Allocate a pseudo-TTY", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var container = await ServiceContainer.FindAsync(context, project, args[0], _index, oneoff: false, all: false, cancellationToken).ConfigureAwait(false);
        var execArgs = new List<string>();
        if (_detach)
            execArgs.Add("-d");
        else
            execArgs.Add("-i");
        if (!_detach && !_noTty && context.Console.Terminal.IsStdinTerminal)
            execArgs.Add("-t");
        if (_privileged)
            execArgs.Add("--privileged");
        foreach (var (flag, value) in new[] { ("-u", _user), ("-w", _workdir) }.Where(f => f.Item2 is not null))
            execArgs.AddRange([flag, value!]);
        foreach (var env in _env)
            execArgs.AddRange(["-e", env]);
        execArgs.Add(container.Id);
        execArgs.AddRange(args.Skip(1));
        return await ServiceContainer.RunAsync(context, new ExecCommand(), execArgs, cancellationToken).ConfigureAwait(false);
    }
}
