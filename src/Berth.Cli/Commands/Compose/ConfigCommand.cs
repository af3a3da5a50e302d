using Berth.Cli.Cli;
using Berth.Compose.Model;
using Berth.Compose.Yaml;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose config</c>: the project as loaded (merged, substituted, in canonical form), or its parts.</summary>
internal sealed class ConfigCommand : ComposeSubcommand
{
    private bool _services;
    private bool _volumes;
    private bool _networks;
    private bool _images;
    private bool _quiet;
    private string _format = "yaml";

    public override string Name => "config";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Parse, resolve and render compose file in canonical format";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("services", null, "Print the service names, one per line.", v => _services = v);
        flags.Bool("volumes", null, "Print the volume names, one per line.", v => _volumes = v);
        flags.Bool("networks", null, "Print the network names, one per line.", v => _networks = v);
        flags.Bool("images", null, "Print the image names, one per line.", v => _images = v);
        flags.Bool("quiet", 'q', "Only validate the configuration, don't print anything", v => _quiet = v);
        flags.String("format", null, "Format the output. Values: [yaml | json]", v => _format = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_format is not ("yaml" or "json"))
            throw new StatusException(1, $"unsupported format \"{_format}\"");
        var project = Compose.Load(context, args);
        if (_quiet)
            return 0;
        IEnumerable<string>? lines =
            _services ? project.Services.Select(s => s.Name)
            : _volumes ? project.Volumes.Select(v => v.Key)
            : _networks ? project.Networks.Select(n => n.Key)
            : _images ? project.Services.Select(s => ContainerSpec.ImageName(project, s))
            : null;
        await context.Out.WriteAsync(lines is null ? Render(project, args) : string.Concat(lines.Select(l => l + "\n"))).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The whole project, or with only the services named (and what they depend on), in YAML or JSON.</summary>
    private string Render(ComposeProject project, IReadOnlyList<string> services)
    {
        if (services.Count > 0)
        {
            var tree = (MapNode)project.Tree.Clone();
            var kept = ServiceSelection.Select(project, services).Select(s => s.Name).ToHashSet();
            foreach (var name in ((MapNode)tree["services"]!).Entries.Keys.Where(n => !kept.Contains(n)).ToList())
                ((MapNode)tree["services"]!).Entries.Remove(name);
            project = new ComposeProject(project.Name, project.WorkingDirectory, project.ConfigFiles, tree, project.EnvFiles, project.Environment);
        }
        return _format == "json" ? project.ToJson() : project.ToYaml();
    }
}
