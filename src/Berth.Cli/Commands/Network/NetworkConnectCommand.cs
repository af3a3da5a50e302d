using Berth.Api.Models.Containers;
using Berth.Api.Models.Networks;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Network;

/// <summary>
/// <c>berth network connect NETWORK CONTAINER</c>: docker's endpoint settings (an <c>IPAMConfig</c> object, aliases and
/// driver options always, empty when not given; links null when none); silent on success.
/// </summary>
internal sealed class NetworkConnectCommand : CliCommand
{
    private readonly List<string> _links = [];
    private readonly List<string> _aliases = [];
    private readonly List<string> _linkLocalIps = [];
    private readonly List<string> _driverOptions = [];
    private string _ip = "";
    private string _ip6 = "";

    public override string Name => "connect";
    public override string Usage => "[OPTIONS] NETWORK CONTAINER";
    public override string Short => "Connect a container to a network";
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags)
    {
        flags.String("ip", null, "IPv4 address (e.g., \"172.30.100.104\")", v => _ip = v);
        flags.String("ip6", null, "IPv6 address (e.g., \"2001:db8::33\")", v => _ip6 = v);
        flags.String("link", null, "Add link to another container", v => _links.Add(NetworkFlagValues.Link(v))).ValueTypeIs("list");
        flags.String("alias", null, "Add network-scoped alias for the container", v => _aliases.AddRange(NetworkFlagValues.Slice(v))).ValueTypeIs("strings");
        flags.String("link-local-ip", null, "Add a link-local address for the container", v => _linkLocalIps.AddRange(NetworkFlagValues.Slice(v))).ValueTypeIs("strings");
        flags.String("driver-opt", null, "driver options for the network", v => _driverOptions.AddRange(NetworkFlagValues.Slice(v))).ValueTypeIs("strings");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var endpoint = new EndpointSettings
        {
            IPAMConfig = new EndpointIPAMConfig
            {
                IPv4Address = _ip.Length > 0 ? _ip : null,
                IPv6Address = _ip6.Length > 0 ? _ip6 : null,
                LinkLocalIPs = _linkLocalIps.Count > 0 ? _linkLocalIps : null,
            },
            Links = _links.Count > 0 ? _links : null,
            Aliases = _aliases,
            DriverOpts = DriverOptions(),
        };
        await context.Client.NetworkConnectAsync(args[0], new NetworkConnectRequest { Container = args[1], EndpointConfig = endpoint }, cancellationToken)
            .ConfigureAwait(false);
        return 0;
    }

    /// <summary>docker's <c>convertDriverOpt</c>: <c>key=value</c>, both trimmed; a missing <c>=</c> or key fails.</summary>
    private Dictionary<string, string> DriverOptions()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in _driverOptions)
        {
            var eq = option.IndexOf('=');
            var key = eq >= 0 ? option[..eq].Trim() : "";
            if (key.Length == 0)
                throw new StatusException(1, "invalid key/value pair format in driver options");
            options[key] = option[(eq + 1)..].Trim();
        }
        return options;
    }
}
