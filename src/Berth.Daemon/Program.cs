using System.Net.Sockets;
using Berth.Api.Server;
using Berth.Daemon;
using Berth.Engine;
using Berth.Engine.System;

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

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    foreach (var socket in options.UnixSockets)
    {
        PrepareSocketPath(socket);
        kestrel.ListenUnixSocket(socket);
    }
});
var engineOptions = new EngineOptions { DataRoot = options.DataRoot };
builder.Services.AddSingleton(engineOptions);
builder.Services.AddSingleton(_ => HostFacts.Read());
builder.Services.AddSingleton<SystemService>();

var app = builder.Build();
app.MapEngineApi();
app.Lifetime.ApplicationStarted.Register(() =>
{
    // Docker's socket is 0660: root and the socket's group.
    foreach (var socket in options.UnixSockets)
        File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
});
await app.RunAsync();
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
