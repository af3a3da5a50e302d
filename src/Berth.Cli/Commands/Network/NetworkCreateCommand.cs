using Berth.Api.Models.Networks;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Network;

/// <summary>
/// <c>berth network create NETWORK</c>: docker 28's create body (driver <c>bridge</c> unless <c>-d</c>, IPAM pools
/// from <c>--subnet</c>/<c>--ip-range</c>/<c>--gateway</c>/<c>--aux-address</c>); prints the new network's id.
/// </summary>
internal sealed class NetworkCreateCommand : CliCommand
{
    private readonly Dictionary<string, string> _driverOptions = new(StringComparer.Ordinal);
    private readonly List<string> _labels = [];
    private readonly List<string> _subnets = [];
    private readonly List<string> _ranges = [];
    private readonly List<string> _gateways = [];
    private readonly Dictionary<string, string> _auxAddresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ipamOptions = new(StringComparer.Ordinal);
    private string _driver = "bridge";
    private string _ipamDriver = "default";
    private string _scope = "";
    private string _configFrom = "";
    private bool _internal;
    private bool _attachable;
    private bool _ingress;
    private bool _configOnly;
    private bool? _ipv4;
    private bool? _ipv6;

    public override string Name => "create";
    public override string Usage => "[OPTIONS] NETWORK";
    public override string Short => "Create a network";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("driver", 'd', "Driver to manage the Network", v => _driver = v, "\"bridge\"");
        flags.String("opt", 'o', "Set driver specific options", v => NetworkFlagValues.SetMapEntry(_driverOptions, v), "map[]").ValueTypeIs("map");
        flags.String("label", null, "Set metadata on a network", v => _labels.Add(NetworkFlagValues.Label(v))).ValueTypeIs("list");
        flags.Bool("internal", null, "Restrict external access to the network", v => _internal = v);
        flags.Bool("ipv4", null, "Enable or disable IPv4 address assignment", v => _ipv4 = v, "true");
        flags.Bool("ipv6", null, "Enable or disable IPv6 address assignment", v => _ipv6 = v);
        flags.Bool("attachable", null, "Enable manual container attachment", v => _attachable = v);
        flags.Bool("ingress", null, "Create swarm routing-mesh network", v => _ingress = v);
        flags.String("scope", null, "Control the network's scope", v => _scope = v);
        flags.Bool("config-only", null, "Create a configuration only network", v => _configOnly = v);
        flags.String("config-from", null, "The network from which to copy the configuration", v => _configFrom = v);
        flags.String("ipam-driver", null, "IP Address Management Driver", v => _ipamDriver = v, "\"default\"");
        flags.String("subnet", null, "Subnet in CIDR format that represents a network segment", v => _subnets.AddRange(NetworkFlagValues.Slice(v))).ValueTypeIs("strings");
        flags.String("ip-range", null, "Allocate container ip from a sub-range", v => _ranges.AddRange(NetworkFlagValues.Slice(v))).ValueTypeIs("strings");
        flags.String("gateway", null, "IPv4 or IPv6 Gateway for the master subnet", v => _gateways.AddRange(NetworkFlagValues.Slice(v))).ValueTypeIs("strings");
        flags.String("aux-address", null, "Auxiliary IPv4 or IPv6 addresses used by Network driver", v => NetworkFlagValues.SetMapEntry(_auxAddresses, v), "map[]").ValueTypeIs("map");
        flags.String("ipam-opt", null, "Set IPAM driver specific options", v => NetworkFlagValues.SetMapEntry(_ipamOptions, v), "map[]").ValueTypeIs("map");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        NetworkIpam ipam;
        try
        {
            ipam = IpamConfigBuilder.Build(_ipamDriver, _subnets, _ranges, _gateways, _auxAddresses, _ipamOptions);
        }
        catch (FormatException e)
        {
            throw new StatusException(1, e.Message);
        }
        var request = new NetworkCreateRequest
        {
            Name = args[0],
            Driver = _driver,
            Scope = _scope,
            EnableIPv4 = _ipv4,
            EnableIPv6 = _ipv6,
            IPAM = ipam,
            Internal = _internal,
            Attachable = _attachable,
            Ingress = _ingress,
            ConfigOnly = _configOnly,
            ConfigFrom = _configFrom.Length > 0 ? new NetworkConfigReference { Network = _configFrom } : null,
            Options = new Dictionary<string, string>(_driverOptions),
            Labels = NetworkFlagValues.ToMap(_labels),
        };
        var created = await context.Client.NetworkCreateAsync(request, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(created.Id).ConfigureAwait(false);
        return 0;
    }
}
