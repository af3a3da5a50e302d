using System.Security.Cryptography;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Commands.Container;
using Berth.Compose.Loading;
using Berth.Compose.Model;
using Berth.Compose.Yaml;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose run SERVICE [COMMAND]</c>: a one-off container of the service (<c>project-service-run-ID</c>,
/// labelled oneoff), its dependencies brought up first unless <c>--no-deps</c>; the service's ports are published only
/// with <c>--service-ports</c>. Attached it runs as <c>berth start -a -i</c> and exits with the container's status.
/// </summary>
internal sealed class ComposeRunCommand : ComposeSubcommand
{
    private readonly List<string> _env = [];
    private readonly List<string> _labels = [];
    private readonly List<string> _publish = [];
    private bool _detach;
    private bool _remove;
    private bool _noTty;
    private bool _noDeps;
    private bool _servicePorts;
    private bool _build;
    private bool _interactive = true;
    private string? _name;
    private string? _user;
    private string? _workdir;
    private string? _entrypoint;

    public override string Name => "run";
    public override string Usage => "[OPTIONS] SERVICE [COMMAND] [ARGS...]";
    public override string Short => "Run a one-off command on a service";
    public override ArgsRule Args => ArgsRule.AtLeast(1);
    public override bool Interspersed => false;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("detach", 'd', "Run container in background and print container ID", v => _detach = v);
        flags.Bool("rm", null, "Automatically remove the container when it exits", v => _remove = v);
        flags.String("name", null, "Assign a name to the container", v => _name = v);
        flags.List("env", 'e', "Set environment variables", _env);
        flags.List("label", 'l', "Add or override a label", _labels);
        flags.List("publish", 'p', "Publish a container's port(s) to the host", _publish);
        flags.Bool("service-ports", 'P', "Run command with all service's ports enabled and mapped to the host", v => _servicePorts = v);
        flags.Bool("no-TTY", 'T', "Disable pseudo-TTY allocation (default: auto-detected)", v => _noTty = v);
        flags.Bool("interactive", 'i', "Keep STDIN open even if not attached", v => _interactive = v, "true");
        flags.Bool("no-deps", null, "Don't start linked services", v => _noDeps = v);
        flags.Bool("build", null, "Build image before starting container", v => _build = v);
        flags.String("user", 'u', "Run as specified username or uid", v => _user = v);
        flags.String("workdir", 'w', "Working directory inside the container", v => _workdir = v);
        flags.String("entrypoint", null, "Override the entrypoint of the image", v => _entrypoint = v);
        flags.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file", _ => { });
        flags.Bool("quiet-pull", null, "Pull without printing progress information", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var project = Compose.Load(context, [args[0]]);
        var service = project.Service(args[0]) ?? throw new StatusException(1, $"no such service: {args[0]}");
        var progress = ComposeProgress.For(context, Compose, "run");
        var resources = new ProjectResources(context.Client, project, progress);
        await resources.EnsureNetworksAsync(cancellationToken).ConfigureAwait(false);
        await resources.EnsureVolumesAsync(cancellationToken).ConfigureAwait(false);
        if (!_noDeps && service.DependsOn.Count > 0)
        {
            var dependencies = ServiceSelection.Select(project, service.DependsOn.Select(d => d.Service).Where(d => project.Service(d) is not null).ToList());
            await new Convergence(context, project, progress, new ConvergeOptions()).RunAsync(dependencies, cancellationToken).ConfigureAwait(false);
        }
        await new ServiceImages(context, project, progress).EnsureAsync(service, _build, cancellationToken).ConfigureAwait(false);
        var slug = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var name = _name ?? $"{project.Name}-{service.Name}-run-{slug[..12]}";
        var request = Request(context, project, service, name, args.Skip(1).ToList());
        request.Labels![ComposeLabels.Slug] = slug;
        var created = await context.Client.ContainerCreateAsync(request, name, service.Platform, cancellationToken).ConfigureAwait(false);
        await new Convergence(context, project, progress, new ConvergeOptions()).ConnectOtherNetworksAsync(service, created.Id, name, cancellationToken).ConfigureAwait(false);
        await FileInjection.InjectAsync(context.Client, project, service, created.Id, cancellationToken).ConfigureAwait(false);
        // The display ends before the container's own output begins.
        progress.Dispose();
        if (_detach)
        {
            await context.Client.ContainerStartAsync(created.Id, cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            return 0;
        }
        var start = new StartCommand();
        var flags = new FlagSet();
        start.Configure(flags);
        return await start.RunAsync(context, flags.Parse(_interactive ? ["-a", "-i", created.Id] : ["-a", created.Id]), cancellationToken).ConfigureAwait(false);
    }

    private ContainerCreateRequest Request(CliContext context, ComposeProject project, ServiceConfig service, string name, List<string> command)
    {
        var request = ContainerSpec.Build(project, service, name, 0, oneoff: true);
        if (command.Count > 0)
            request.Cmd = command;
        if (_entrypoint is not null)
            request.Entrypoint = ShellWords.Split(_entrypoint, "--entrypoint", "");
        request.Env = [.. request.Env ?? [], .. _env.Select(e => ValueParsers.Env(e, context.Environment))];
        foreach (var label in _labels)
            request.Labels![label.Split('=')[0]] = label.Contains('=') ? label[(label.IndexOf('=') + 1)..] : "";
        request.User = _user ?? request.User;
        request.WorkingDir = _workdir ?? request.WorkingDir;
        request.Tty = !_noTty && !_detach && context.Console.Terminal.IsStdinTerminal && context.Console.Terminal.IsStdoutTerminal;
        request.OpenStdin = request.StdinOnce = _interactive && !_detach;
        request.AttachStdin = request.OpenStdin;
        request.AttachStdout = request.AttachStderr = !_detach;
        var host = request.HostConfig!;
        host.AutoRemove = _remove;
        host.RestartPolicy = new RestartPolicy { Name = "no" };
        if (!_servicePorts)
            host.PortBindings = null;
        foreach (var port in _publish.SelectMany(p => PortSyntax.Normalize(new ScalarNode(p), "--publish", "")).Select(p => new PortConfig(p)))
            (request.ExposedPorts ??= [])[ContainerHostConfig.Publish(host.PortBindings ??= [], port)] = new EmptyObject();
        return request;
    }
}
