using System.Net.Sockets;
using Berth.Api.Client;

namespace Berth.Cli.Tests.Fakes;

/// <summary>A connected pair of UNIX stream sockets: one side wrapped as the client's hijacked stream, the other played by the test as the daemon.</summary>
internal sealed class SocketPair : IDisposable
{
    private readonly string _directory;

    private SocketPair(string directory, Socket client, Socket server)
    {
        _directory = directory;
        Client = client;
        Server = server;
    }

    public Socket Client { get; }
    public Socket Server { get; }

    public static SocketPair Create()
    {
        var directory = Directory.CreateTempSubdirectory("berth-cli-test-").FullName;
        var path = Path.Combine(directory, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        var server = listener.Accept();
        return new SocketPair(directory, client, server);
    }

    public HijackedStream Hijacked(bool tty) =>
        new(DaemonConnection.OverSocket(Client), [], tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");

    public static byte[] Frame(byte stream, string text)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
