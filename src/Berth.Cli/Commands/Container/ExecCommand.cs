using Berth.Api.Models.Exec;
using Berth.Cli.Cli;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth exec</c>: inspect first (so "no such container" wins), create the exec, then either start it
/// detached or hijack its connection and exit with the exec's own exit code (read after the stream ends).
/// </summary>
internal sealed class ExecCommand : CliCommand
{
    private readonly List<string> _env = [];
    private readonly List<string> _envFiles = [];
    private bool _detach;
    private bool _interactive;
    private bool _tty;
    private bool _privileged;
    private string _user = "";
    private string _workdir = "";
    private string _detachKeys = "";

    public override string Name => "exec";
    public override string Usage => "[OPTIONS] CONTAINER COMMAND [ARG...]";
    public override string Short => "Execute a command in a running container";
    public override ArgsRule Args => ArgsRule.AtLeast(2);
    public override bool Interspersed => false;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("detach", 'd', "Detached mode: run command in the background", v => _detach = v);
        flags.String("detach-keys", null, "Override the key sequence for detaching a container", v => _detachKeys = v);
        flags.List("env", 'e', "Set environment variables", _env);
        flags.List("env-file", null, "Read in a file of environment variables", _envFiles);
        flags.Bool("interactive", 'i', "Keep STDIN open even if not attached", v => _interactive = v);
        flags.Bool("privileged", null, "Give extended privileges to the command", v => _privileged = v);
        flags.Bool("tty", 't', "Allocate a pseudo-TTY", v => _tty = v);
        flags.String("user", 'u', "Username or UID (format: \"<name|uid>[:<group|gid>]\")", v => _user = v);
        flags.String("workdir", 'w', "Working directory inside the container", v => _workdir = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // docker's config.json "detachKeys" is the default sequence when the flag is not given.
        if (_detachKeys.Length == 0)
            _detachKeys = context.Config.DetachKeys ?? "";
        var client = context.Client;
        var container = args[0];
        var request = new ExecCreateRequest
        {
            User = _user,
            Privileged = _privileged,
            Tty = _tty,
            Cmd = args.Skip(1).ToList(),
            WorkingDir = _workdir,
            Env = ReadEnv(context),
            AttachStdin = !_detach && _interactive,
            AttachStdout = !_detach,
            AttachStderr = !_detach,
            DetachKeys = _detachKeys,
        };
        var detachKeys = _detachKeys.Length > 0 ? HijackSession.ParseDetachKeys(_detachKeys) : null;
        await client.ContainerInspectAsync(container, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!_detach && request.Tty && request.AttachStdin && !context.Console.Terminal.IsStdinTerminal)
            throw new StatusException(1, "the input device is not a TTY");
        if (request.Tty && context.Console.Terminal.IsStdoutTerminal && context.Console.Terminal.GetSize() is var (height, width))
            request.ConsoleSize = [(uint)height, (uint)width];
        var created = await client.ExecCreateAsync(container, request, cancellationToken).ConfigureAwait(false);
        if (created.Id.Length == 0)
            throw new StatusException(1, "exec ID empty");
        var start = new ExecStartRequest { Tty = request.Tty, ConsoleSize = request.ConsoleSize };
        if (_detach)
        {
            await client.ExecStartDetachedAsync(created.Id, start, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        using (var connection = await client.ExecAttachAsync(created.Id, start, cancellationToken).ConfigureAwait(false))
        {
            using var resize = request.Tty && context.Console.Terminal.IsStdinTerminal
                ? TtyResize.Monitor(context.Console, (h, w) => client.ExecResizeAsync(created.Id, h, w))
                : null;
            try
            {
                await HijackSession.StreamAsync(connection, context.Console, request.Tty, request.AttachStdin, detachKeys, cancellationToken).ConfigureAwait(false);
            }
            catch (DetachedException)
            {
                return 0;
            }
        }
        var inspect = await client.ExecInspectAsync(created.Id, cancellationToken).ConfigureAwait(false);
        return inspect.ExitCode ?? 0;
    }

    private List<string> ReadEnv(CliContext context)
    {
        var env = new List<string>();
        foreach (var file in _envFiles)
            env.AddRange(ValueParsers.ReadKeyValueFile(file, context.Environment));
        env.AddRange(_env.Select(e => ValueParsers.Env(e, context.Environment)));
        return env;
    }
}
