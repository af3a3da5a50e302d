using System.Globalization;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: the published mappings (<c>80/tcp -&gt; 0.0.0.0:8080</c>), or the
/// host addresses of one private port (tcp when no protocol is given), in natural order.
/// </summary>
internal sealed class PortCommand : CliCommand
{
    public override string Name => "port";
    public override string Usage => "CONTAINER [PRIVATE_PORT[/PROTO]]";
    public override string Short => "List port mappings or a specific mapping for the container";
    public override ArgsRule Args => ArgsRule.Range(1, 2);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var container = await context.Client.ContainerInspectAsync(args[0], cancellationToken: cancellationToken).ConfigureAwait(false);
        var ports = container.NetworkSettings?.Ports ?? [];
        var lines = new List<string>();
        if (args.Count > 1)
        {
            var requested = args[1];
            var slash = requested.IndexOf('/');
            var (port, protocol) = slash < 0 ? (requested, "tcp") : (requested[..slash], requested[(slash + 1)..] is { Length: > 0 } p ? p : "tcp");
            if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new StatusException(1, $"Error: invalid port ({port}): strconv.ParseUint: parsing \"{port}\": invalid syntax");
            if (!ports.TryGetValue($"{port}/{protocol}", out var bindings) || bindings is not { Count: > 0 })
                throw new StatusException(1, $"Error: No public port '{requested}' published for {args[0]}");
            lines.AddRange(bindings.Select(b => JoinHostPort(b.HostIp, b.HostPort)));
        }
        else
        {
            foreach (var (from, bindings) in ports)
                lines.AddRange((bindings ?? []).Select(b => $"{from} -> {JoinHostPort(b.HostIp, b.HostPort)}"));
        }
        if (lines.Count > 0)
            await context.Out.WriteLineAsync(string.Join('\n', lines.Order(NaturalOrder.Instance))).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Go's <c>net.JoinHostPort</c>: IPv6 hosts in brackets.</summary>
    private static string JoinHostPort(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
