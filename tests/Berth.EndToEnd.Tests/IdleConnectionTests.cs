using System.Net.Sockets;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>A connection that never sends a request is closed after Kestrel's header timeout (30 s), not kept for ever.</summary>
public sealed class IdleConnectionTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public IdleConnectionTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
    }

    [PrivilegedFact]
    public async Task A_connection_idle_before_its_first_request_is_closed()
    {
        using var idle = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await idle.ConnectAsync(new UnixDomainSocketEndPoint(_daemon.Socket));
        var buffer = new byte[16];
        var read = await idle.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(45));
        Assert.Equal(0, read);
        Assert.Equal("1.44", _daemon.Docker("version", "--format", "{{.Server.APIVersion}}").Ok("version").Output);
    }
}
