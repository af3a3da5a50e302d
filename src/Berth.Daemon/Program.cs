using System.Net.Sockets;
using Berth.Api.Server;
using Berth.Api.Server.Hijack;
using Berth.Content.FileSystem;
using Berth.Daemon;
using Berth.Distribution.Client;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Store;
using Berth.Engine.System;
using Berth.Engine.Tasks;
using Berth.Engine.Tasks.Shim;
using Berth.Images;
using Berth.Images.Index;
using Berth.Snapshots;

DaemonOptions options;
try
{
    options = DaemonOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 2;
}

var builder = EmptyHost.Create();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    foreach (var socket in options.UnixSockets)
    {
        PrepareSocketPath(socket);
        kestrel.ListenUnixSocket(socket, listen => listen.UseDockerHijack());
    }
    kestrel.Limits.MaxRequestBodySize = null; // import, load and build send archives of any size
});
var engineOptions = new EngineOptions
{
    DataRoot = options.DataRoot,
    ShimPath = Binaries.Find("berth-shim"),
    RuntimePath = Binaries.Find("berth-runtime"),
};
Directory.CreateDirectory(options.DataRoot);
var database = new EngineDatabase(Path.Combine(options.DataRoot, "berth.db"));
var snapshotter = new OverlaySnapshotter(Path.Combine(options.DataRoot, "snapshots"));
var images = new ImageStore(
    new FileContentStore(Path.Combine(options.DataRoot, "content")), snapshotter, snapshotter, new SqliteImageIndex(database.Path))
{
    Registry = new RegistryClient(new RegistryClientOptions
    {
        Mirrors = options.RegistryMirrors, InsecureRegistries = options.InsecureRegistries, DefaultRegistry = options.DefaultRegistry,
    }),
};
builder.Services.AddSingleton(engineOptions);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton<ISnapshotter>(snapshotter);
builder.Services.AddSingleton(images);
builder.Services.AddSingleton<EventService>();
builder.Services.AddSingleton<ImageService>();
builder.Services.AddSingleton<IContainerImages>(s => s.GetRequiredService<ImageService>());
builder.Services.AddSingleton<ITaskRuntime, ShimTaskRuntime>();
builder.Services.AddSingleton<ContainerService>();
builder.Services.AddSingleton(_ => HostFacts.Read());
builder.Services.AddSingleton<SystemService>();

var app = builder.Build();
app.MapEngineApi();
await app.Services.GetRequiredService<ContainerService>().RestoreAsync();
app.Lifetime.ApplicationStarted.Register(() =>
{
    // Docker's socket is 0660: root and the socket's group.
    foreach (var socket in options.UnixSockets)
        File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
});
await using var registry = options.Registry is { } address ? EmbeddedRegistry.Build(address, Path.Combine(options.DataRoot, "registry")) : null;
if (registry is not null) await registry.StartAsync();
await app.RunAsync();
if (registry is not null) await registry.StopAsync();
return 0;

// A socket file left by a daemon that died is removed; one that still answers belongs to a live daemon.
static void PrepareSocketPath(string path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    if (!File.Exists(path)) return;
    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    try
    {
        probe.Connect(new UnixDomainSocketEndPoint(path));
        throw new InvalidOperationException($"another daemon is listening on {path}");
    }
    catch (SocketException)
    {
        File.Delete(path);
    }
}
