using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Linux;
using Berth.Network;
using Berth.Network.Dns;
using Berth.Network.Tests.Dns;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Privileged.Tests.Network;

/// <summary>
/// The embedded DNS server at 127.0.0.11:53 inside a network namespace of the test's own, queried from inside it,
/// forwarding to a fake upstream on the host's 127.0.0.1 (reachable only from the host's namespace: an answer proves
/// the forward left from there). No query goes anywhere but 127.0.0.0/8.
/// </summary>
public sealed class DnsInNamespaceTests : IAsyncLifetime
{
    private static readonly IPAddress Web = IPAddress.Parse("10.213.77.2"), External = IPAddress.Parse("192.0.2.9");
    private static readonly IPEndPoint Server = new(EmbeddedDns.Address, EmbeddedDns.Port);

    private readonly string _dir = Directory.CreateTempSubdirectory("berth-dns-").FullName;
    private string Netns => Path.Combine(_dir, "net");
    private FakeUpstream? _upstream;
    private EmbeddedDns? _dns;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_dns is not null) await _dns.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
        if (File.Exists(Netns)) NetworkNamespaceFile.Remove(Netns);
        Directory.Delete(_dir, recursive: true);
    }

    private void StartDns()
    {
        Privileges.RequireRoot();
        NetworkNamespaceFile.Create(Netns);
        _upstream = new FakeUpstream(External);
        _dns = EmbeddedDns.Start(Netns, new FakeNames(new() { ["web"] = [Web] }), [_upstream.EndPoint], NullLogger.Instance);
    }

    [PrivilegedFact]
    public void Container_name_unknown_name_and_ptr_are_answered_inside_the_namespace_over_udp_and_tcp()
    {
        StartDns();
        foreach (var tcp in new[] { false, true })
        {
            var web = DnsReader.Read(AskInside(DnsProbe.Query("web", DnsType.A, id: 1), tcp));
            Assert.Equal(Web, Assert.Single(web.Answers).Address);
            Assert.Equal(600u, web.Answers[0].Ttl);

            var external = DnsReader.Read(AskInside(DnsProbe.Query("example.org", DnsType.A, id: 2), tcp));
            Assert.Equal(2, external.Id);
            Assert.Equal(External, Assert.Single(external.Answers).Address);

            var ptr = DnsReader.Read(AskInside(DnsProbe.Query("2.77.213.10.in-addr.arpa", DnsType.Ptr, id: 3), tcp));
            Assert.Equal("web", Assert.Single(ptr.Answers).Target);
        }
        Assert.Equal([("udp", "example.org"), ("tcp", "example.org")], _upstream!.Asked);
    }

    [PrivilegedFact]
    public void No_thread_of_the_daemon_is_left_in_the_containers_namespace()
    {
        StartDns();
        AskInside(DnsProbe.Query("example.org", DnsType.A), tcp: false); // a forward ran, on the daemon's threads
        var container = $"net:[{FileStatus.Get(Netns).Inode}]"; // what /proc/PID/task/TID/ns/net links to for that namespace
        List<string> Inside() => Directory.GetDirectories("/proc/self/task")
            .Where(task => Readlink(Path.Combine(task, "ns", "net")) == container)
            .Select(task => $"{task} {Comm(task)}")
            .ToList();
        // A thread of ours that joined the namespace may still be listed a moment after Join (it is exiting); one that
        // was born there (the socket engine's, a thread pool worker) stays.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Inside().Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Empty(Inside());

        // The control: a thread that does join the namespace shows exactly that link.
        string? joined = null;
        var thread = new Thread(() =>
        {
            using var ns = File.OpenHandle(Netns);
            Namespaces.SetNs(ns, CloneFlags.NewNet, Netns);
            joined = Readlink("/proc/thread-self/ns/net");
        });
        thread.Start();
        thread.Join();
        Assert.Equal(container, joined);
    }

    [PrivilegedFact]
    public void Busybox_nslookup_inside_the_namespace_resolves_a_container_name_and_an_external_one()
    {
        StartDns();
        Skip.Unless(File.Exists("/usr/bin/busybox") && File.Exists("/usr/bin/nsenter"), "busybox and nsenter are needed");
        Assert.Contains($"Address: {Web}", Nslookup("web"));
        Assert.Contains($"Address: {External}", Nslookup("example.org"));
    }

    [PrivilegedFact]
    public void A_file_that_is_no_namespace_fails_to_start_with_a_message()
    {
        Privileges.RequireRoot();
        var notNs = Path.Combine(_dir, "plain");
        File.WriteAllText(notNs, "");
        var failure = Assert.Throws<IOException>(() => EmbeddedDns.Start(notNs, new FakeNames([]), [], NullLogger.Instance));
        Assert.Contains("cannot open the embedded DNS server's sockets at 127.0.0.11:53", failure.Message);
        Assert.Contains("setns", failure.Message);
    }

    private string Nslookup(string name)
    {
        using var process = Process.Start(new ProcessStartInfo("nsenter", ["--net=" + Netns, "busybox", "nslookup", name, EmbeddedDns.Address.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            Assert.Fail($"nslookup {name} did not end in 30 s");
        }
        return output.Result + error.Result;
    }

    /// <summary>
    /// One query from a client socket of the namespace: made bare by a thread that joins it and ends (as the server's;
    /// see InetSockets), then used from this thread with blocking calls and timeouts, so it cannot hang.
    /// </summary>
    private byte[] AskInside(byte[] query, bool tcp)
    {
        var type = tcp ? SocketType.Stream : SocketType.Dgram;
        var protocol = tcp ? ProtocolType.Tcp : ProtocolType.Udp;
        var fd = NamespaceThreads.InNamespace(Netns, () => InetSockets.Open(AddressFamily.InterNetwork, type, protocol));
        using var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true))
        {
            ReceiveTimeout = 10_000,
            SendTimeout = 10_000,
        };
        socket.Connect(Server);
        socket.Send(tcp ? DnsProbe.Frame(query) : query);
        return tcp ? ReceiveFramed(socket) : ReceiveDatagram(socket);
    }

    private static byte[] ReceiveDatagram(Socket socket)
    {
        var buffer = new byte[65535];
        return buffer[..socket.Receive(buffer)];
    }

    private static byte[] ReceiveFramed(Socket socket)
    {
        var length = ReceiveExactly(socket, 2);
        return ReceiveExactly(socket, BinaryPrimitives.ReadUInt16BigEndian(length));
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var got = socket.Receive(buffer, read, count - read, SocketFlags.None);
            if (got == 0) throw new EndOfStreamException("the server closed the connection");
            read += got;
        }
        return buffer;
    }

    private static string Comm(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim();
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private static string? Readlink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null; // a thread that ended meanwhile
        }
    }
}
