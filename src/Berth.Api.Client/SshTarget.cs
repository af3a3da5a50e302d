using System.Diagnostics;

namespace Berth.Api.Client;

/// <summary>
/// An <c>ssh://[user@]host[:port]</c> daemon: each connection is <c>ssh … host berth system dial-stdio</c>, whose stdin
/// and stdout carry the HTTP exchange to the remote berthd (docker's connection helper, with our CLI at the far end).
/// ssh's own messages (host keys, passwords) stay on the terminal's stderr.
/// </summary>
public sealed record SshTarget(string? User, string Host, int? Port)
{
    public static SshTarget Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new FormatException($"invalid SSH URL: {url}");
        if (uri.AbsolutePath is not ("" or "/"))
            throw new FormatException($"extra path after the host: \"{uri.AbsolutePath}\"");
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new FormatException($"extra query or fragment after the host: {url}");
        var user = uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : null;
        if (user?.Contains(':') == true)
            throw new FormatException("plain-text password is not supported");
        return new SshTarget(user, uri.IdnHost, uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port);
    }

    /// <summary>The ssh command line, as docker's <c>connhelper/ssh</c> builds it, with berth at the remote end.</summary>
    public IReadOnlyList<string> Arguments =>
    [
        "-o", "ConnectTimeout=30", "-T",
        .. User is null ? Array.Empty<string>() : ["-l", User],
        .. Port is null ? Array.Empty<string>() : ["-p", Port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        "--", Host, "berth", "system", "dial-stdio",
    ];

    internal DaemonConnection Start()
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in Arguments)
            start.ArgumentList.Add(argument);
        return DaemonConnection.OverProcess(Process.Start(start) ?? throw new IOException("ssh did not start"));
    }
}
