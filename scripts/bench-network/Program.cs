using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Linux;
using Berth.Network;
using Berth.Network.Dns;
using Berth.Network.Ports;
using Microsoft.Extensions.Logging.Abstractions;

// Port proxy: start and dispose cost per mapping, round trip and throughput through it against direct, on 127.0.0.1.
// Embedded DNS (root): start cost, and query latency from inside a fresh namespace, local and forwarded.
var allocator = HostPortAllocator.FromKernel();
using var echo = Listen(SocketType.Stream);
var echoPort = ((IPEndPoint)echo.LocalEndPoint!).Port;
_ = ServeEchoAsync(echo);

for (var i = 0; i < 200; i++) await StartProxy("tcp").DisposeAsync(); // JIT and socket engine warm-up
foreach (var protocol in new[] { "tcp", "udp" })
{
    const int count = 1000;
    var proxies = new List<PortProxy>(count);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++) proxies.Add(StartProxy(protocol));
    var start = watch.Elapsed.TotalMicroseconds / count;
    watch.Restart();
    foreach (var proxy in proxies) await proxy.DisposeAsync();
    Console.WriteLine($"proxy {protocol}: start {start:F1} us, dispose {watch.Elapsed.TotalMicroseconds / count:F1} us per mapping ({count} random ports)");
}

await using (var proxy = StartProxy("tcp"))
{
    foreach (var (label, port) in new[] { ("direct", echoPort), ("proxied", proxy.Mapping.HostPort) })
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        var one = new byte[1];
        var samples = Measure(22000, 2000, () => { client.Send(one); client.Receive(one); });
        var payload = new byte[1 << 20];
        const long total = 256L << 20;
        var watch = Stopwatch.StartNew();
        var sending = Task.Run(async () => { for (long sent = 0; sent < total; sent += payload.Length) await client.SendAsync(payload); });
        var received = new byte[1 << 20];
        for (long got = 0; got < total;) got += await client.ReceiveAsync(received);
        await sending;
        Console.WriteLine($"tcp {label}: 1-byte round trip {Percentiles(samples)}; echo {total / watch.Elapsed.TotalSeconds / (1 << 20):F0} MiB/s each way");
    }
}

if (Environment.UserName != "root")
{
    Console.WriteLine("dns: skipped (needs root for a network namespace)");
    return;
}
var dir = Directory.CreateTempSubdirectory("berth-bench-dns-");
var netns = Path.Combine(dir.FullName, "net");
NetworkNamespaceFile.Create(netns);
try
{
    using var upstream = Listen(SocketType.Dgram);
    _ = ServeUpstreamAsync(upstream);
    IPEndPoint[] upstreams = [(IPEndPoint)upstream.LocalEndPoint!];
    var names = new Names();
    for (var i = 0; i < 20; i++) await EmbeddedDns.Start(netns, names, upstreams, NullLogger.Instance).DisposeAsync();
    const int starts = 200;
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < starts; i++) await EmbeddedDns.Start(netns, names, upstreams, NullLogger.Instance).DisposeAsync();
    Console.WriteLine($"dns: start + dispose {watch.Elapsed.TotalMicroseconds / starts:F0} us (thread, setns, 2 sockets)");

    await using var dns = EmbeddedDns.Start(netns, names, upstreams, NullLogger.Instance);
    foreach (var (label, name) in new[] { ("container name", "web"), ("forwarded", "example") })
    {
        // The client socket is made bare by a thread inside the namespace (see InetSockets), then used from here.
        var fd = 0;
        var thread = new Thread(() =>
        {
            using var ns = File.OpenHandle(netns);
            Namespaces.SetNs(ns, CloneFlags.NewNet, netns);
            fd = InetSockets.Open(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        });
        thread.Start();
        thread.Join();
        using var client = new Socket(new SafeSocketHandle(fd, ownsHandle: true)) { ReceiveTimeout = 5000 };
        client.Connect(new IPEndPoint(EmbeddedDns.Address, EmbeddedDns.Port));
        var query = Query(name);
        var buffer = new byte[512];
        var samples = Measure(22000, 2000, () => { client.Send(query); client.Receive(buffer); });
        Console.WriteLine($"dns {label} A over UDP: {Percentiles(samples)} (one client, sequential)");
    }
}
finally
{
    NetworkNamespaceFile.Remove(netns);
    dir.Delete(recursive: true);
}

PortProxy StartProxy(string protocol) =>
    PortProxy.Start(new PortMapping(protocol, IPAddress.Loopback, 0, IPAddress.Loopback, echoPort), allocator, NullLogger.Instance);

static Socket Listen(SocketType type)
{
    var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
    socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    if (type == SocketType.Stream) socket.Listen();
    return socket;
}

static async Task ServeEchoAsync(Socket listener)
{
    while (true)
    {
        var socket = await listener.AcceptAsync();
        _ = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0) await socket.SendAsync(buffer.AsMemory(0, read));
            socket.Dispose();
        });
    }
}

// Answers every query with its own question and no record: enough for a forward's round trip.
static async Task ServeUpstreamAsync(Socket socket)
{
    var buffer = new byte[512];
    while (true)
    {
        var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
        buffer[2] |= 0x80;
        await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint);
    }
}

static byte[] Query(string name) => [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte)name.Length, .. name.Select(c => (byte)c), 0, 0, 1, 0, 1];

static double[] Measure(int count, int warmup, Action action)
{
    var samples = new double[count - warmup];
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        if (i >= warmup) samples[i - warmup] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(samples);
    return samples;
}

static string Percentiles(double[] sorted) => $"p50 {sorted[sorted.Length / 2]:F1} us, p99 {sorted[sorted.Length * 99 / 100]:F1} us";

sealed class Names : IDnsNames
{
    private static readonly IPAddress[] Web = [IPAddress.Parse("10.213.0.2")];

    public IReadOnlyList<IPAddress>? ResolveA(string name) => name == "web" ? Web : null;

    public string? ResolvePtr(IPAddress address) => null;
}
