namespace Berth.Distribution.Client;

/// <summary>One host of a registry's <c>hosts.toml</c>: a base URL and what it may be used for.</summary>
/// <param name="Capabilities"><c>pull</c>, <c>resolve</c>, <c>push</c>: a host is used for pulls when it has <c>pull</c>.</param>
/// <param name="SkipVerify">Its TLS certificate is not checked.</param>
public sealed record RegistryHost(Uri BaseUri, IReadOnlyList<string> Capabilities, bool SkipVerify)
{
    public bool Can(string capability) => Capabilities.Contains(capability, StringComparer.Ordinal);
}

/// <summary>
/// A registry's mirror configuration, containerd's <c>hosts.toml</c> format (the subset that names hosts):
/// <code>
/// server = "https://registry.k8s.io"        # the registry itself, tried last (default: the name's domain)
///
/// [host."http://127.0.0.1:5000"]             # tried first, in the file's order
///   capabilities = ["pull", "resolve"]
///   skip_verify = true
/// </code>
/// Other keys (<c>ca</c>, <c>client</c>, <c>header</c>, <c>override_path</c>…) are ignored.
/// </summary>
public sealed record RegistryHosts(Uri? Server, bool ServerSkipVerify, IReadOnlyList<RegistryHost> Hosts)
{
    /// <summary>
    /// <c>&lt;directory&gt;/&lt;domain&gt;/hosts.toml</c>, else <c>&lt;directory&gt;/_default/hosts.toml</c>, as containerd looks
    /// them up (a port is part of the directory's name: <c>127.0.0.1:5000</c>); null when neither exists.
    /// </summary>
    /// <exception cref="FormatException">the file is not valid.</exception>
    public static RegistryHosts? Load(string directory, string domain)
    {
        foreach (var name in new[] { domain, "_default" })
        {
            var file = Path.Combine(directory, name, "hosts.toml");
            if (File.Exists(file)) return Parse(File.ReadAllText(file), file);
        }
        return null;
    }

    /// <exception cref="FormatException">a line is neither a key, a <c>[host."url"]</c> table nor a comment.</exception>
    public static RegistryHosts Parse(string toml, string source = "hosts.toml")
    {
        Uri? server = null;
        var serverSkipVerify = false;
        var hosts = new List<RegistryHost>();
        RegistryHost? host = null;
        var ignored = false; // in a table other than a host's own (its header, ca…): its keys are skipped
        var lineNumber = 0;
        foreach (var raw in toml.Split('\n'))
        {
            lineNumber++;
            var line = StripComment(raw).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('['))
            {
                var url = HostTable(line);
                ignored = url is null;
                if (url is null) continue;
                if (host is not null) hosts.Add(host);
                host = new RegistryHost(Url(url, source, lineNumber), ["pull", "resolve", "push"], false);
                continue;
            }
            if (ignored) continue;
            var equals = line.IndexOf('=');
            if (equals <= 0) throw new FormatException($"{source}:{lineNumber}: expected key = value");
            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            switch (key, host)
            {
                case ("server", null): server = Url(Unquote(value), source, lineNumber); break;
                case ("skip_verify", null): serverSkipVerify = value == "true"; break;
                case ("capabilities", not null): host = host with { Capabilities = Array(value) }; break;
                case ("skip_verify", not null): host = host with { SkipVerify = value == "true" }; break;
            }
        }
        if (host is not null) hosts.Add(host);
        return new RegistryHosts(server, serverSkipVerify, hosts);
    }

    /// <summary>The URL of a <c>[host."url"]</c> table; null for any other, a host's <c>[host."url".header]</c> too.</summary>
    private static string? HostTable(string line)
    {
        var inner = line.Trim('[', ']').Trim();
        if (!inner.StartsWith("host.\"", StringComparison.Ordinal)) return null;
        var close = inner.IndexOf('"', "host.\"".Length);
        return close > 0 && close == inner.Length - 1 ? inner["host.\"".Length..close] : null;
    }

    private static Uri Url(string text, string source, int line)
    {
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{source}:{line}: not an http(s) URL: {text}");
    }

    private static string[] Array(string value) =>
        [.. value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Unquote)];

    private static string Unquote(string value) => value.Trim().Trim('"', '\'');

    /// <summary>A line without its <c>#</c> comment (a <c>#</c> inside a quoted string is kept).</summary>
    private static string StripComment(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == '#' && !quoted) return line[..i];
        }
        return line;
    }
}
