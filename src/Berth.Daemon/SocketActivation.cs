using Berth.Daemon.Configuration;

namespace Berth.Daemon;

/// <summary>
/// systemd's socket activation (<c>sd_listen_fds</c>): the sockets it passes start at descriptor 3,
/// <c>LISTEN_FDS</c> says how many and <c>LISTEN_PID</c> that they are meant for this process.
/// </summary>
internal static class SocketActivation
{
    private const int FirstDescriptor = 3;

    /// <summary>The descriptors an <c>fd://</c> host names: all that systemd passed, or the one it asks for.</summary>
    public static IReadOnlyList<int> Descriptors(FdHost host, string? listenPid, string? listenFds, int pid)
    {
        var count = listenPid == pid.ToString() && int.TryParse(listenFds, out var n) && n > 0 ? n : 0;
        if (count == 0) throw new ConfigurationException("no sockets found via socket activation: make sure the service was started by systemd");
        if (host.Descriptor is not { } fd) return [.. Enumerable.Range(FirstDescriptor, count)];
        return fd < FirstDescriptor + count ? [fd] : throw new ConfigurationException("too few socket activated files passed in by systemd");
    }
}
