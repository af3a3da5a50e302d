namespace Berth.Engine.Networks;

/// <summary>Docker's port notation as the API carries it: <c>80/tcp</c> keys, host ports "", "0", "8080" or "8000-8010".</summary>
public static class PortSpecs
{
    /// <summary>"80" → "80/tcp"; the protocol lower-cased.</summary>
    public static string NormalizeKey(string key)
    {
        var (port, protocol) = ParseKey(key);
        return $"{port}/{protocol}";
    }

    public static (int Port, string Protocol) ParseKey(string key)
    {
        var slash = key.IndexOf('/');
        var portText = slash < 0 ? key : key[..slash];
        var protocol = slash < 0 ? "tcp" : key[(slash + 1)..].ToLowerInvariant();
        if (protocol is not ("tcp" or "udp" or "sctp")) throw Invalid($"invalid proto: {protocol}");
        if (protocol is "sctp") throw Invalid("publishing SCTP ports is not supported by Berth");
        if (!int.TryParse(portText, out var port) || port is < 1 or > 65535) throw Invalid($"invalid containerPort: {portText}");
        return (port, protocol);
    }

    /// <summary>"" and "0" → (0, 0), a random port; "8080" → (8080, 8080); "8000-8010" → the range.</summary>
    public static (int First, int Last) ParseHostPort(string hostPort)
    {
        if (hostPort is "" or "0") return (0, 0);
        var dash = hostPort.IndexOf('-');
        if (dash < 0)
        {
            var port = Port(hostPort);
            return (port, port);
        }
        var (first, last) = (Port(hostPort[..dash]), Port(hostPort[(dash + 1)..]));
        if (last < first) throw Invalid($"invalid hostPort: {hostPort}");
        return (first, last);

        static int Port(string text) =>
            int.TryParse(text, out var value) && value is >= 1 and <= 65535 ? value : throw Invalid($"invalid hostPort: {text}");
    }

    /// <summary>Checks the bindings at create, so a bad one is refused before anything exists.</summary>
    public static void Validate(IReadOnlyDictionary<string, IReadOnlyList<Containers.Model.PortBinding>> bindings)
    {
        foreach (var (key, list) in bindings)
        {
            ParseKey(key);
            foreach (var binding in list)
            {
                ParseHostPort(binding.HostPort);
                if (binding.HostIp is not "" && !global::System.Net.IPAddress.TryParse(binding.HostIp, out _))
                    throw Invalid($"invalid host IP address: {binding.HostIp}");
            }
        }
    }

    private static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
