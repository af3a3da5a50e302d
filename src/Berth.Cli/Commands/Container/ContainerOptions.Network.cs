using System.Text.RegularExpressions;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Commands.Network;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// The network flags of run and create, turned into what docker 28's CLI sends (<c>opts.go</c> <c>parseNetworkOpts</c>):
/// <c>HostConfig.NetworkMode</c> is the first <c>--network</c> or <c>default</c>; <c>NetworkingConfig.EndpointsConfig</c>
/// has one entry per network, the first carrying <c>--network-alias</c>, <c>--ip</c>, <c>--ip6</c>, <c>--link</c>,
/// <c>--link-local-ip</c> and <c>--mac-address</c>. Without <c>--network</c> the entry is <c>default</c> (an empty
/// endpoint); a single network without options has no entry at all.
/// </summary>
internal sealed partial class ContainerOptions
{
    /// <summary>One <c>--network</c>: a name, or docker's long syntax <c>name=n,alias=a,ip=…,driver-opt=k=v</c>.</summary>
    public sealed class NetworkAttachment
    {
        public string Target { get; set; } = "";
        public List<string> Aliases { get; } = [];
        public Dictionary<string, string> DriverOpts { get; } = new(StringComparer.Ordinal);
        public List<string> Links { get; } = [];
        public string IPv4Address { get; set; } = "";
        public string IPv6Address { get; set; } = "";
        public List<string> LinkLocalIPs { get; } = [];
        public string MacAddress { get; set; } = "";
    }

    public List<NetworkAttachment> Networks { get; } = [];
    public List<string> NetworkAliases { get; } = [];
    public List<string> Links { get; } = [];
    public List<string> LinkLocalIps { get; } = [];
    public string IPv4Address { get; private set; } = "";
    public string IPv6Address { get; private set; } = "";
    public string MacAddress { get; private set; } = "";

    private void ConfigureNetworkFlags(FlagSet flags)
    {
        flags.String("network", null, "Connect a container to a network", v => Networks.Add(ParseNetwork(v))).ValueTypeIs("network").Alias("net");
        flags.List("network-alias", null, "Add network-scoped alias for the container", NetworkAliases).Alias("net-alias");
        flags.String("ip", null, "IPv4 address (e.g., 172.30.100.104)", v => IPv4Address = v);
        flags.String("ip6", null, "IPv6 address (e.g., 2001:db8::33)", v => IPv6Address = v);
        flags.String("link", null, "Add link to another container", v => Links.Add(NetworkFlagValues.Link(v))).ValueTypeIs("list");
        flags.List("link-local-ip", null, "Container IPv4/IPv6 link-local addresses", LinkLocalIps);
        flags.String("mac-address", null, "Container MAC address (e.g., 92:d0:c6:0a:29:33)", v => MacAddress = v);
    }

    /// <summary>docker's <c>NetworkOpt.Set</c>; its long syntax lowercases whole fields, values included, as docker does.</summary>
    /// <exception cref="FormatException">A bad field: pflag reports it as an invalid <c>--network</c> argument.</exception>
    private static NetworkAttachment ParseNetwork(string value)
    {
        if (!LongNetworkSyntax().IsMatch(value))
            return new NetworkAttachment { Target = value };
        var attachment = new NetworkAttachment();
        foreach (var field in value.Split(','))
        {
            var lower = field.ToLowerInvariant();
            var eq = lower.IndexOf('=');
            if (eq <= 0)
                throw new FormatException($"invalid field {field}");
            var key = lower[..eq].Trim();
            var val = lower[(eq + 1)..].Trim();
            switch (key)
            {
                case "name": attachment.Target = val; break;
                case "alias": attachment.Aliases.Add(val); break;
                case "ip": attachment.IPv4Address = val; break;
                case "ip6": attachment.IPv6Address = val; break;
                case "mac-address": attachment.MacAddress = val; break;
                case "link-local-ip": attachment.LinkLocalIPs.Add(val); break;
                case "driver-opt":
                    var opt = val.IndexOf('=');
                    if (opt <= 0 || val[..opt].Trim().Length == 0)
                        throw new FormatException("invalid key value pair format in driver options");
                    attachment.DriverOpts[val[..opt].Trim()] = val[(opt + 1)..].Trim();
                    break;
                default: throw new FormatException("invalid field key " + key);
            }
        }
        return attachment.Target.Length > 0 ? attachment : throw new FormatException("network name/id is not specified");
    }

    private string NetworkMode => Networks.Count > 0 ? Networks[0].Target : "default";

    /// <summary><c>default</c>, <c>bridge</c>, <c>host</c>, <c>none</c> and <c>container:…</c> are not user-defined.</summary>
    private static bool IsUserDefined(string mode) =>
        mode is not ("default" or "bridge" or "host" or "none") && !mode.StartsWith("container:", StringComparison.Ordinal);

    /// <summary>docker's <c>parseNetworkOpts</c>: the endpoints of the create body.</summary>
    private Dictionary<string, EndpointSettings?> Endpoints()
    {
        var endpoints = new Dictionary<string, EndpointSettings?>(StringComparer.Ordinal);
        if (Networks.Count == 0)
        {
            var fallback = new NetworkAttachment { Target = "default" };
            ApplyContainerNetworkOptions(fallback);
            endpoints["default"] = Endpoint(fallback);
        }
        var userDefined = false;
        var other = false;
        for (var i = 0; i < Networks.Count; i++)
        {
            var attachment = Networks[i];
            if (IsUserDefined(attachment.Target))
                userDefined = true;
            else
                other = true;
            if (i == 0)
                ApplyContainerNetworkOptions(attachment);
            var endpoint = Endpoint(attachment);
            if (endpoints.ContainsKey(attachment.Target))
                throw new InvalidOptionsException($"network \"{attachment.Target}\" is specified multiple times");
            // docker leaves a lone network without options out: the daemon makes its endpoint anyway.
            if (Networks.Count == 1 && IsEmpty(endpoint))
                continue;
            endpoints[attachment.Target] = endpoint;
        }
        if (userDefined && other)
            throw new InvalidOptionsException("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
        return endpoints;
    }

    /// <summary>docker's <c>applyContainerOptions</c>: the top-level flags go to the first network, never twice.</summary>
    private void ApplyContainerNetworkOptions(NetworkAttachment n)
    {
        if (n.Aliases.Count > 0 && NetworkAliases.Count > 0)
            throw new InvalidOptionsException("conflicting options: cannot specify both --network-alias and per-network alias");
        if (n.Links.Count > 0 && Links.Count > 0)
            throw new InvalidOptionsException("conflicting options: cannot specify both --link and per-network links");
        if (n.IPv4Address.Length > 0 && IPv4Address.Length > 0)
            throw new InvalidOptionsException("conflicting options: cannot specify both --ip and per-network IPv4 address");
        if (n.IPv6Address.Length > 0 && IPv6Address.Length > 0)
            throw new InvalidOptionsException("conflicting options: cannot specify both --ip6 and per-network IPv6 address");
        if (n.MacAddress.Length > 0 && MacAddress.Length > 0)
            throw new InvalidOptionsException("conflicting options: cannot specify both --mac-address and per-network MAC address");
        if (n.LinkLocalIPs.Count > 0 && LinkLocalIps.Count > 0)
            throw new InvalidOptionsException("conflicting options: cannot specify both --link-local-ip and per-network link-local IP addresses");
        n.Aliases.AddRange(NetworkAliases);
        // On a user-defined network a link is an endpoint alias; on the default bridge it is a legacy link (HostConfig.Links).
        if (IsUserDefined(n.Target))
            n.Links.AddRange(Links);
        if (IPv4Address.Length > 0)
            n.IPv4Address = IPv4Address;
        if (IPv6Address.Length > 0)
            n.IPv6Address = IPv6Address;
        if (MacAddress.Length > 0)
            n.MacAddress = MacAddress;
        n.LinkLocalIPs.AddRange(LinkLocalIps);
    }

    /// <summary>docker's <c>parseNetworkAttachmentOpt</c>.</summary>
    private static EndpointSettings Endpoint(NetworkAttachment n)
    {
        if (n.Target.Trim().Length == 0)
            throw new InvalidOptionsException("no name set for network");
        if (!IsUserDefined(n.Target))
        {
            if (n.Aliases.Count > 0)
                throw new InvalidOptionsException("network-scoped aliases are only supported for user-defined networks");
            if (n.Links.Count > 0)
                throw new InvalidOptionsException("links are only supported for user-defined networks");
        }
        if (n.MacAddress.Length > 0 && !IsMacAddress(n.MacAddress))
            throw new InvalidOptionsException($"{n.MacAddress} is not a valid mac address");
        var hasAddress = n.IPv4Address.Length > 0 || n.IPv6Address.Length > 0 || n.LinkLocalIPs.Count > 0;
        return new EndpointSettings
        {
            Aliases = n.Aliases.Count > 0 ? [.. n.Aliases] : null,
            DriverOpts = n.DriverOpts.Count > 0 ? new Dictionary<string, string>(n.DriverOpts) : null,
            Links = n.Links.Count > 0 ? [.. n.Links] : null,
            IPAMConfig = hasAddress
                ? new EndpointIPAMConfig
                {
                    IPv4Address = n.IPv4Address.Length > 0 ? n.IPv4Address : null,
                    IPv6Address = n.IPv6Address.Length > 0 ? n.IPv6Address : null,
                    LinkLocalIPs = n.LinkLocalIPs.Count > 0 ? [.. n.LinkLocalIPs] : null,
                }
                : null,
            MacAddress = n.MacAddress,
        };
    }

    private static bool IsEmpty(EndpointSettings e) =>
        e.Aliases is null && e.DriverOpts is null && e.Links is null && e.IPAMConfig is null && e.MacAddress.Length == 0;

    /// <summary>Go's <c>net.ParseMAC</c> for the common form: six (or eight, twenty) hex pairs split by <c>:</c> or <c>-</c>.</summary>
    private static bool IsMacAddress(string value) => MacAddressSyntax().IsMatch(value);

    /// <summary>docker's unanchored test for the long syntax (Go's ASCII <c>\w</c>): one <c>key=value</c> anywhere.</summary>
    [GeneratedRegex("[0-9A-Za-z_]+=[0-9A-Za-z_]+(,[0-9A-Za-z_]+=[0-9A-Za-z_]+)*")]
    private static partial Regex LongNetworkSyntax();

    [GeneratedRegex("^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}$")]
    private static partial Regex MacAddressSyntax();

    /// <summary>
    /// The network part of the create body: NetworkMode, the endpoints, the legacy <c>HostConfig.Links</c>, and the
    /// first network's MAC address also in <c>Config.MacAddress</c> (docker keeps that for older daemons).
    /// </summary>
    private void ApplyNetworking(ContainerCreateRequest request)
    {
        var endpoints = Endpoints();
        request.HostConfig!.NetworkMode = NetworkMode;
        request.HostConfig.Links = Links.Count > 0 ? [.. Links] : null;
        request.NetworkingConfig = new NetworkingConfig { EndpointsConfig = endpoints };
        if (endpoints.TryGetValue(NetworkMode, out var main) && main is { MacAddress.Length: > 0 })
            request.MacAddress = main.MacAddress;
    }
}
