using System.Diagnostics;
using System.Runtime.InteropServices;
using Berth.Api.Server;
using Berth.Content.FileSystem;
using Berth.Daemon;
using Berth.Daemon.Configuration;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Store;
using Berth.Engine.System;
using Berth.Engine.Tasks;
using Berth.Engine.Networks;
using Berth.Engine.Tasks.Shim;
using Berth.Images;
using Berth.Images.Index;
using Berth.Snapshots;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var configuration = DaemonConfiguration.Parse(args);
if (configuration.Error is { } error)
{
    Console.Error.WriteLine($"berthd: {error}\nSee 'berthd --help'.");
    return 1;
}
if (configuration.IsInformational) return configuration.Inform(Console.Out);

DaemonSettings settings;
ApiListeners listeners;
PidFile pidFile;
string shimPath, runtimePath;
try
{
    settings = configuration.Load();
    listeners = new ApiListeners(settings);
    shimPath = Binaries.Find("berth-shim");
    runtimePath = Binaries.Find("berth-runtime");
    pidFile = PidFile.Create(settings.PidFile);
}
catch (Exception e) when (e is ConfigurationException or InvalidOperationException)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 1;
}
using var removePidFile = pidFile;

var logLevel = new LogLevelSwitch(settings.Reloadable.EffectiveLogLevel);
// Before the engine opens its database: a certificate, key or htpasswd file berthd cannot use stops it here.
WebApplication? registry;
try
{
    registry = settings.Registry is { } served ? EmbeddedRegistry.Build(served, Path.Combine(settings.DataRoot, "registry"), logLevel) : null;
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 1;
}
await using var stopRegistry = registry;
var builder = EmptyHost.Create(logLevel);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    listeners.Configure(kestrel);
    kestrel.Limits.MaxRequestBodySize = null; // import, load and build send archives of any size
});
// Streams that never end by themselves (events, logs --follow) must not hold a stop for long.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
var engineOptions = new EngineOptions
{
    DataRoot = settings.DataRoot,
    ExecRoot = settings.ExecRoot,
    DefaultUlimits = settings.DefaultUlimits,
    DefaultLogConfig = settings.LogConfig,
    LiveRestore = settings.LiveRestore,
    DefaultRuntime = settings.DefaultRuntime,
    Runtimes = settings.Runtimes,
    ShimPath = shimPath,
    RuntimePath = runtimePath,
};
Directory.CreateDirectory(settings.DataRoot);
Directory.CreateDirectory(settings.ExecRoot);
var database = new EngineDatabase(Path.Combine(settings.DataRoot, "berth.db"));
var snapshotter = new OverlaySnapshotter(Path.Combine(settings.DataRoot, "snapshots"));
var images = new ImageStore(
    new FileContentStore(Path.Combine(settings.DataRoot, "content")), snapshotter, snapshotter, new SqliteImageIndex(database.Path))
{
    Registry = ConfigurationReloader.RegistryClient(settings.Reloadable, settings),
};
builder.Services.AddSingleton(engineOptions);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton<ISnapshotter>(snapshotter);
builder.Services.AddSingleton<ISnapshotLayers>(snapshotter);
builder.Services.AddSingleton(images);
builder.Services.AddSingleton<EventService>();
builder.Services.AddSingleton<ImageService>();
builder.Services.AddSingleton<IContainerImages>(s => s.GetRequiredService<ImageService>());
builder.Services.AddSingleton<ITaskRuntime, ShimTaskRuntime>();
builder.Services.AddSingleton(settings.Network);
builder.Services.AddSingleton<INetworkHost, KernelNetworkHost>();
builder.Services.AddSingleton<NetworkService>();
builder.Services.AddSingleton<ContainerService>();
builder.Services.AddSingleton<ImageRemovalService>();
builder.Services.AddSingleton<Berth.Engine.Builds.BuildService>();
builder.Services.AddSingleton(_ => HostFacts.Read());
builder.Services.AddSingleton<SystemService>();
builder.Services.AddSingleton(s => new Berth.Engine.Volumes.VolumeService(database, s.GetRequiredService<EventService>(), engineOptions));

var app = builder.Build();
var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Berth.Daemon");
var reloader = new ConfigurationReloader(configuration, settings, logLevel, images, logger);
reloader.Apply(settings.Reloadable);
using var trimmer = new IdleMemoryTrimmer();
app.Use(async (context, next) =>
{
    trimmer.Touch();
    if (!logger.IsEnabled(LogLevel.Debug))
    {
        await next(context);
        trimmer.Touch();
        return;
    }
    var (method, target) = (context.Request.Method, $"{context.Request.Path}{context.Request.QueryString}"); // before versioning strips /v1.xx
    var started = Stopwatch.GetTimestamp();
    await next(context);
    trimmer.Touch();
    logger.Request(method, target, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
});
app.MapEngineApi();
app.Services.GetRequiredService<NetworkService>().Initialize();
await app.Services.GetRequiredService<ContainerService>().RestoreAsync();
await app.Services.GetRequiredService<Berth.Engine.Builds.BuildService>().SweepAsync();
try
{
    // After the restore, so that every container's writable layer is known to stand on its image's layers.
    await app.Services.GetRequiredService<ImageService>().CollectGarbageAsync();
}
catch (Exception e) when (e is EngineException or IOException)
{
    logger.GarbageCollectionFailed(e);
}
await using var cri = settings.CriSocket is { } criSocket
    ? CriListener.Build(criSocket, app.Services, new Berth.Cri.CriOptions
    {
        ImageFilesystem = Path.Combine(settings.DataRoot, "snapshots"),
        RuntimePath = runtimePath,
        StateDirectory = Path.Combine(settings.DataRoot, "cri"),
        CniConfDirectory = settings.CniConfDir,
        CniBinDirectory = settings.CniBinDir,
        StreamAddress = settings.CriStreamAddress,
    }, logLevel)
    : null;
app.Lifetime.ApplicationStarted.Register(() =>
{
    listeners.OnStarted(logger);
    logger.Started(settings.DataRoot, settings.ExecRoot);
});
using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
{
    signal.Cancel = true; // a hang-up reloads; it never ends the daemon
    reloader.Reload();
});
// SIGTERM and SIGINT stop the host (its console lifetime): listeners close, and the shims keep the containers running.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => logger.Stopping("terminated"));
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => logger.Stopping("interrupt"));
try
{
    if (registry is not null) await registry.StartAsync();
    await app.StartAsync();
    if (cri is not null)
    {
        await Berth.Cri.CriServer.RecoverAsync(cri.Services);
        await cri.StartAsync();
        logger.CriListening(settings.CriSocket!);
    }
}
catch (Exception e) when (e is ConfigurationException or IOException)
{
    // A socket another daemon answers on, an address in use: said once, without a stack trace.
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 1;
}
await app.WaitForShutdownAsync();
if (cri is not null) await cri.StopAsync();
if (registry is not null) await registry.StopAsync();
if (!settings.LiveRestore) await ShutdownPolicy.StopContainersAsync(app.Services.GetRequiredService<ContainerService>(), logger);
// Removed containers' and layers' files go in the background; what is left when this bound ends is deleted at the next start.
await Task.WhenAll(app.Services.GetRequiredService<ContainerService>().DrainRemovalsAsync(), snapshotter.DrainRemovalsAsync())
    .WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
return 0;
