using Berth.Api.Models.Volumes;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Volume;

/// <summary><c>berth volume create [OPTIONS] [VOLUME]</c>: prints the volume's name (an existing one is returned as is).</summary>
internal sealed class VolumeCreateCommand : CliCommand
{
    private string _driver = "local";
    private string _name = "";
    private readonly List<string> _labels = [];
    private readonly List<string> _options = [];

    public override string Name => "create";
    public override string Usage => "[OPTIONS] [VOLUME]";
    public override string Short => "Create a volume";
    public override ArgsRule Args => ArgsRule.AtMost(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("driver", 'd', "Specify volume driver name", v => _driver = v, defaultText: "\"local\"");
        flags.List("label", null, "Set metadata for a volume", _labels);
        flags.String("name", null, "Specify volume name", v => _name = v).Hide();
        flags.List("opt", 'o', "Set driver specific options", _options, defaultText: "map[]").ValueTypeIs("map");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 1 && _name.Length > 0 && args[0] != _name)
            throw new StatusException(1, $"conflicting options: cannot specify a volume-name through both --name and as a positional arg");
        var request = new VolumeCreateRequest
        {
            Name = args.Count == 1 ? args[0] : _name,
            Driver = _driver,
            DriverOpts = Map(_options),
            Labels = Map(_labels),
        };
        var volume = await context.Client.VolumeCreateAsync(request, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(volume.Name).ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>k=v</c> pairs; a bare <c>k</c> is an empty value, as docker's map options read it.</summary>
    private static Dictionary<string, string> Map(IEnumerable<string> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            map[eq < 0 ? pair : pair[..eq]] = eq < 0 ? "" : pair[(eq + 1)..];
        }
        return map;
    }
}
