using System.Globalization;
using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose ls</c>: the projects on the daemon, from their containers' labels, with their states and files.</summary>
internal sealed class ComposeLsCommand : ComposeSubcommand
{
    private bool _all;
    private bool _quiet;

    public override string Name => "ls";
    public override string Usage => "[OPTIONS]";
    public override string Short => "List running compose projects";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Show all stopped Compose projects", v => _all = v);
        flags.Bool("quiet", 'q', "Only display project names", v => _quiet = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var containers = await context.Client.ContainerListAsync(new() { All = true, Filters = new Filters().Add("label", ComposeLabels.Project) },
            cancellationToken).ConfigureAwait(false);
        var projects = containers.GroupBy(c => c.Labels[ComposeLabels.Project])
            .Where(g => _all || g.Any(c => c.State == "running"))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (_quiet)
        {
            foreach (var project in projects)
                await context.Out.WriteLineAsync(project.Key).ConfigureAwait(false);
            return 0;
        }
        var table = new TabWriter(context.Out);
        table.Write("NAME\tSTATUS\tCONFIG FILES\n");
        foreach (var project in projects)
        {
            // compose's status: each state with its count, states sorted (exited(1), running(2)).
            var status = string.Join(", ", project.GroupBy(c => c.State).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}({s.Count()})"));
            var files = project.Select(c => c.Labels.GetValueOrDefault(ComposeLabels.ConfigFiles, "")).FirstOrDefault(f => f.Length > 0) ?? "";
            table.Write($"{project.Key}\t{status}\t{files}\n");
        }
        table.Flush();
        return 0;
    }
}

/// <summary><c>berth compose version</c>.</summary>
internal sealed class ComposeVersionCommand : ComposeSubcommand
{
    private bool _short;

    public override string Name => "version";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Show the Berth Compose version information";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("short", null, "Shows only Compose's version number", v => _short = v);
        flags.String("format", 'f', "Format the output. Values: [pretty | json]", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync(_short ? BuildInfo.Version : $"Berth Compose version v{BuildInfo.Version}").ConfigureAwait(false);
        return 0;
    }
}

/// <summary><c>berth compose port SERVICE PRIVATE_PORT</c>: the public address of a service container's port.</summary>
internal sealed class ComposePortCommand : ComposeSubcommand
{
    private string _protocol = "tcp";
    private int _index = 1;

    public override string Name => "port";
    public override string Usage => "[OPTIONS] SERVICE PRIVATE_PORT";
    public override string Short => "Print the public port for a port binding";
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags)
    {
        flags.String("protocol", null, "tcp or udp", v => _protocol = v, "\"tcp\"");
        flags.Int("index", null, "Index of the container if service has multiple replicas", v => _index = v, "1");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var container = (await ProjectContainers.ListAsync(context.Client, project, all: false, oneoff: false, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(c => c.ServiceName() == args[0] && c.Number() == _index)
            ?? throw new StatusException(1, $"service \"{args[0]}\" is not running");
        var port = container.Ports.FirstOrDefault(p => p.PrivatePort.ToString(CultureInfo.InvariantCulture) == args[1] && p.Type == _protocol && p.PublicPort is not null)
                   ?? throw new StatusException(1, $"no port {args[1]}/{_protocol} for container {container.Name()}");
        await context.Out.WriteLineAsync($"{(string.IsNullOrEmpty(port.IP) ? "0.0.0.0" : port.IP)}:{port.PublicPort}").ConfigureAwait(false);
        return 0;
    }
}

/// <summary><c>berth compose top</c>: each running container's processes under its name.</summary>
internal sealed class ComposeTopCommand : ComposeSubcommand
{
    public override string Name => "top";
    public override string Usage => "[SERVICES...]";
    public override string Short => "Display the running processes";

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var containers = (await ProjectContainers.ListAsync(context.Client, project, all: false, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Count == 0 || args.Contains(c.ServiceName())).OrderBy(c => c.Name(), StringComparer.Ordinal);
        foreach (var container in containers)
        {
            var top = await context.Client.ContainerTopAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(container.Name()).ConfigureAwait(false);
            var table = new TabWriter(context.Out, minWidth: 0);
            table.Write(string.Join('\t', top.Titles) + "\n");
            foreach (var process in top.Processes)
                table.Write(string.Join('\t', process) + "\n");
            table.Flush();
            await context.Out.WriteLineAsync().ConfigureAwait(false);
        }
        return 0;
    }
}

/// <summary><c>berth compose images</c>: the image each of the project's containers runs.</summary>
internal sealed class ComposeImagesCommand : ComposeSubcommand
{
    private bool _quiet;

    public override string Name => "images";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "List images used by the created containers";

    public override void Configure(FlagSet flags) => flags.Bool("quiet", 'q', "Only display IDs", v => _quiet = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var containers = (await ProjectContainers.ListAsync(context.Client, project, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Count == 0 || args.Contains(c.ServiceName())).OrderBy(c => c.Name(), StringComparer.Ordinal).ToList();
        if (_quiet)
        {
            foreach (var id in containers.Select(c => c.ImageID).Distinct())
                await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            return 0;
        }
        var table = new TabWriter(context.Out);
        table.Write("CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE\n");
        foreach (var container in containers)
        {
            var image = await context.Client.ImageInspectAsync(container.ImageID, cancellationToken).ConfigureAwait(false);
            var reference = ImageReference.TryParse(container.Image);
            table.Write($"{container.Name()}\t{reference?.FamiliarName ?? container.Image}\t{reference?.Tag ?? "latest"}\t{Text.TruncateId(container.ImageID)}\t{Text.Size(image.Size)}\n");
        }
        table.Flush();
        return 0;
    }
}
