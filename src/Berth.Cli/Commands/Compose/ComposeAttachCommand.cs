using Berth.Cli.Cli;
using Berth.Cli.Commands.Container;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose attach SERVICE</c>: <c>berth attach</c> to the service's container (<c>--index</c> picks a replica).</summary>
internal sealed class ComposeAttachCommand : ComposeSubcommand
{
    private int _index;
    private string? _detachKeys;
    private bool _noStdin;
    private bool _sigProxy = true;

    public override string Name => "attach";
    public override string Usage => "[OPTIONS] SERVICE";
    public override string Short => "Attach local standard input, output, and error streams to a service's running container";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.Int("index", null, "index of the container if service has multiple replicas.", v => _index = v, "0");
        flags.String("detach-keys", null, "Override the key sequence for detaching from a container.", v => _detachKeys = v);
        flags.Bool("no-stdin", null, "Do not attach STDIN", v => _noStdin = v);
        flags.Bool("sig-proxy", null, "Proxy all received signals to the process", v => _sigProxy = v, "true");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var container = await ServiceContainer.FindAsync(context, project, args[0], _index, oneoff: true, all: false, cancellationToken).ConfigureAwait(false);
        var attachArgs = new List<string> { $"--sig-proxy={(_sigProxy ? "true" : "false")}" };
        if (_noStdin)
            attachArgs.Add("--no-stdin");
        if (_detachKeys is not null)
            attachArgs.AddRange(["--detach-keys", _detachKeys]);
        attachArgs.Add(container.Id);
        return await ServiceContainer.RunAsync(context, new AttachCommand(), attachArgs, cancellationToken).ConfigureAwait(false);
    }
}
