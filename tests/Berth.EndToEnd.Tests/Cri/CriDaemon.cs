using System.Net.Sockets;
using Berth.Cri.V1;
using Grpc.Net.Client;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>
/// berthd with its registry, and a gRPC client on its CRI socket (<c>&lt;exec-root&gt;/cri.sock</c>) with stubs
/// generated from the daemon's own proto. Pods are not in Docker's list, so disposing removes them through the CRI
/// before the daemon's own cleanup.
/// </summary>
public class CriDaemon : DaemonProcess
{
    private readonly GrpcChannel _channel;

    public CriDaemon() : base(hostRegistry: true) => _channel = Connect();

    protected CriDaemon(IReadOnlyList<string> extraArguments, bool hostRegistry = false) : base(hostRegistry, extraArguments) => _channel = Connect();

    private GrpcChannel Connect()
    {
        for (var attempt = 0; attempt < 100 && !File.Exists(CriSocket); attempt++) Thread.Sleep(50);
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(CriSocket), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });
        Runtime = new RuntimeService.RuntimeServiceClient(channel);
        Images = new ImageService.ImageServiceClient(channel);
        return channel;
    }

    public string CriSocket => Path.Combine(ExecRoot, "cri.sock");
    public RuntimeService.RuntimeServiceClient Runtime { get; private set; } = null!;
    public ImageService.ImageServiceClient Images { get; private set; } = null!;

    public override void Dispose()
    {
        try
        {
            foreach (var pod in Runtime.ListPodSandbox(new ListPodSandboxRequest()).Items)
                Runtime.RemovePodSandbox(new RemovePodSandboxRequest { PodSandboxId = pod.Id });
        }
        finally
        {
            _channel.Dispose();
            base.Dispose();
        }
    }
}
