using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Events;
using Berth.Api.Models.Exec;
using Berth.Api.Models.Images;
using Berth.Api.Models.Streams;
using Berth.Api.Models.System;
using Berth.Api.Models.Volumes;

namespace Berth.Cli.Tests.Fakes;

/// <summary>
/// An in-memory daemon for command tests: every call is recorded in <see cref="Calls"/> (as
/// <c>Method arg…</c>), answers come from the settable properties, unknown objects are 404s.
/// </summary>
internal sealed partial class FakeBerthClient : IBerthClient
{
    public List<string> Calls { get; } = [];
    public List<ContainerSummary> Containers { get; } = [];
    public List<ImageSummary> Images { get; } = [];
    public Dictionary<string, ContainerInspectResponse> Inspects { get; } = [];
    public List<ContainerCreateRequest> CreateRequests { get; } = [];

    /// <summary>Images the create call accepts; others get 404 <c>No such image</c> (null = any).</summary>
    public HashSet<string>? KnownImages { get; set; }

    public string CreatedId { get; set; } = new('a', 64);
    public List<string> CreateWarnings { get; } = [];
    public Exception? StartError { get; set; }
    public Exception? CreateError { get; set; }

    /// <summary>What removing each image throws (others succeed with <see cref="RemoveResult"/>).</summary>
    public Dictionary<string, Exception> ImageRemoveErrors { get; } = [];
    public ContainerWaitResponse WaitResult { get; set; } = new() { StatusCode = 0 };
    public List<JsonMessage> PullMessages { get; } = [new() { Status = "Pulling from library/busybox", Id = "latest" }];
    public Func<string, AttachOptions, HijackedStream>? Attach { get; set; }
    public Func<string, HijackedStream>? ExecAttach { get; set; }
    public int? ExecExitCode { get; set; } = 0;
    public SystemVersion Version { get; set; } = new() { Version = "25.0.0", ApiVersion = "1.44", MinAPIVersion = "1.24", Os = "linux", Arch = "amd64" };
    public SystemInfo Info { get; set; } = new() { ServerVersion = "25.0.0", Name = "host" };
    public List<ImageDeleteResponseItem> RemoveResult { get; } = [];

    private Task Record(string call)
    {
        lock (Calls)
            Calls.Add(call);
        return Task.CompletedTask;
    }

    private static ApiException NoSuchContainer(string id) => new(HttpStatusCode.NotFound, $"No such container: {id}");

    public Task<PingResponse> PingAsync(CancellationToken cancellationToken = default) => Task.FromResult(new PingResponse("1.44", "linux", false, "1"));

    public async Task<SystemVersion> VersionAsync(CancellationToken cancellationToken = default)
    {
        await Record("Version");
        return Version;
    }

    public async Task<SystemInfo> InfoAsync(CancellationToken cancellationToken = default)
    {
        await Record("Info");
        return Info;
    }

    public List<Volume> DiskUsageVolumes { get; } = [];
    public List<BuildCacheRecord> BuildCache { get; } = [];

    public Task<SystemDfResponse> DiskUsageAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SystemDfResponse
        {
            Images = Images, Containers = Containers, LayersSize = Images.Sum(i => i.Size), Volumes = DiskUsageVolumes, BuildCache = BuildCache,
        });

    public List<AuthConfig> AuthRequests { get; } = [];

    /// <summary>What <c>POST /auth</c> answers (or throws) for the credentials sent; by default <c>Login Succeeded</c>.</summary>
    public Func<AuthConfig, AuthResponse> Auth { get; set; } = _ => new AuthResponse { Status = "Login Succeeded" };

    public async Task<AuthResponse> SystemAuthAsync(AuthConfig config, CancellationToken cancellationToken = default)
    {
        await Record($"Auth {config.ServerAddress} {config.Username}");
        AuthRequests.Add(config);
        return Auth(config);
    }

    public List<EventMessage> Events { get; } = [];

    public async IAsyncEnumerable<EventMessage> EventsAsync(EventsOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Record($"Events since={options.Since} until={options.Until} filters={options.Filters?.ToJson()}");
        foreach (var e in Events)
            yield return e;
    }

    public async Task<ContainerCreateResponse> ContainerCreateAsync(ContainerCreateRequest request, string? name, string? platform = null, CancellationToken cancellationToken = default)
    {
        await Record($"Create {request.Image} name={name}");
        CreateRequests.Add(request);
        if (CreateError is not null)
            throw CreateError;
        if (KnownImages is not null && !KnownImages.Contains(request.Image))
            throw new ApiException(HttpStatusCode.NotFound, $"No such image: {request.Image}");
        return new ContainerCreateResponse { Id = CreatedId, Warnings = CreateWarnings };
    }

    public async Task ContainerStartAsync(string id, CancellationToken cancellationToken = default)
    {
        await Record($"Start {id}");
        if (StartError is not null)
            throw StartError;
    }

    public Task ContainerStopAsync(string id, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default) =>
        KnownOrThrow(id, $"Stop {id} t={timeoutSeconds} signal={signal}");

    public Task ContainerRestartAsync(string id, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default) =>
        KnownOrThrow(id, $"Restart {id} t={timeoutSeconds}");

    public Task ContainerKillAsync(string id, string? signal = null, CancellationToken cancellationToken = default) =>
        KnownOrThrow(id, $"Kill {id} signal={signal}");

    public Task ContainerPauseAsync(string id, CancellationToken cancellationToken = default) => KnownOrThrow(id, $"Pause {id}");
    public Task ContainerUnpauseAsync(string id, CancellationToken cancellationToken = default) => KnownOrThrow(id, $"Unpause {id}");

    /// <summary>When set, removals wait for it after being recorded (to see how many run at once).</summary>
    public TaskCompletionSource? RemoveGate { get; set; }

    public async Task ContainerRemoveAsync(string id, bool force = false, bool removeVolumes = false, bool removeLinks = false, CancellationToken cancellationToken = default)
    {
        var known = KnownOrThrow(id, $"Remove {id} force={force} v={removeVolumes}");
        if (RemoveGate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        await known;
    }

    public List<HostConfig> Updates { get; } = [];

    public async Task<ContainerUpdateResponse> ContainerUpdateAsync(string id, HostConfig update, CancellationToken cancellationToken = default)
    {
        await KnownOrThrow(id, $"Update {id}");
        Updates.Add(update);
        return new ContainerUpdateResponse();
    }

    public Task ContainerRenameAsync(string id, string newName, CancellationToken cancellationToken = default) => KnownOrThrow(id, $"Rename {id} {newName}");

    /// <summary>Names that container operations accept (null = any).</summary>
    public HashSet<string>? KnownContainers { get; set; }

    private Task KnownOrThrow(string id, string call)
    {
        Record(call);
        return KnownContainers is null || KnownContainers.Contains(id) ? Task.CompletedTask : Task.FromException(NoSuchContainer(id));
    }

    public TaskCompletionSource<ContainerWaitResponse>? WaitGate { get; set; }

    public async Task<Task<ContainerWaitResponse>> ContainerWaitAsync(string id, string condition = "not-running", CancellationToken cancellationToken = default)
    {
        await Record($"Wait {id} {condition}");
        return WaitGate?.Task ?? Task.FromResult(WaitResult);
    }

    public Task<IReadOnlyList<ContainerSummary>> ContainerListAsync(ContainerListOptions options, CancellationToken cancellationToken = default)
    {
        Record($"List all={options.All} limit={options.Limit} size={options.Size} filters={options.Filters?.ToJson()}");
        return Task.FromResult<IReadOnlyList<ContainerSummary>>(Containers);
    }

    public Task<ContainerInspectResponse> ContainerInspectAsync(string id, bool size = false, CancellationToken cancellationToken = default)
    {
        Record($"Inspect {id}");
        return Inspects.TryGetValue(id, out var found) ? Task.FromResult(found) : Task.FromException<ContainerInspectResponse>(NoSuchContainer(id));
    }

    public Task<JsonElement> ContainerInspectRawAsync(string id, bool size = false, CancellationToken cancellationToken = default)
    {
        Record($"InspectRaw {id}");
        return Inspects.TryGetValue(id, out var found)
            ? Task.FromResult(JsonSerializer.SerializeToElement(found, Berth.Api.Models.ApiJsonContext.Default.ContainerInspectResponse))
            : Task.FromException<JsonElement>(NoSuchContainer(id));
    }

    public byte[] Logs { get; set; } = [];

    public Task<Stream> ContainerLogsAsync(string id, LogsOptions options, CancellationToken cancellationToken = default)
    {
        Record($"Logs {id} follow={options.Follow} tail={options.Tail} since={options.Since} timestamps={options.Timestamps}");
        return Task.FromResult<Stream>(new MemoryStream(Logs));
    }

    public Task<HijackedStream> ContainerAttachAsync(string id, AttachOptions options, CancellationToken cancellationToken = default)
    {
        Record($"Attach {id} stdin={options.Stdin} stdout={options.Stdout} stderr={options.Stderr}");
        return Task.FromResult(Attach?.Invoke(id, options) ?? throw new InvalidOperationException("no attach stream configured"));
    }

    public Task ContainerResizeAsync(string id, int height, int width, CancellationToken cancellationToken = default) => Record($"Resize {id} {height}x{width}");

    public Task<ContainerTopResponse> ContainerTopAsync(string id, string? psArgs = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ContainerTopResponse { Titles = ["UID", "PID", "CMD"], Processes = [["root", "1", "sleep 100"]] });

    public async IAsyncEnumerable<ContainerStatsResponse> ContainerStatsAsync(string id, bool stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Record($"Stats {id} stream={stream}");
        yield return new ContainerStatsResponse { Id = id, Name = "/" + id };
    }

    public Task<ContainerPruneResponse> ContainerPruneAsync(Filters? filters = null, CancellationToken cancellationToken = default)
    {
        Record($"ContainerPrune filters={filters?.ToJson()}");
        return Task.FromResult(new ContainerPruneResponse { ContainersDeleted = ["c1"], SpaceReclaimed = 2000 });
    }

    /// <summary>What the network, volume and build-cache prunes answer; a missing one is the daemon's 404.</summary>
    public Dictionary<string, string> PruneReports { get; } = [];

    private Task<JsonElement> Prune(string what, Filters? filters)
    {
        Record($"{what}Prune filters={filters?.ToJson()}");
        return PruneReports.TryGetValue(what, out var json)
            ? Task.FromResult(JsonDocument.Parse(json).RootElement.Clone())
            : Task.FromException<JsonElement>(new ApiException(HttpStatusCode.NotFound, "page not found"));
    }

    public Task<JsonElement> NetworkPruneAsync(Filters? filters = null, CancellationToken cancellationToken = default) => Prune("Network", filters);
    public Task<JsonElement> VolumePruneAsync(Filters? filters = null, CancellationToken cancellationToken = default) => Prune("Volume", filters);
    public Task<JsonElement> BuildCachePruneAsync(bool all, Filters? filters = null, CancellationToken cancellationToken = default) => Prune("BuildCache", filters);

    public Dictionary<string, Volume> Volumes { get; } = [];

    public Task<Volume> VolumeCreateAsync(VolumeCreateRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add($"VolumeCreate {request.Name} {request.Driver} {string.Join(',', (request.DriverOpts ?? []).Select(o => o.Key + "=" + o.Value))}");
        var name = string.IsNullOrEmpty(request.Name) ? new string('f', 64) : request.Name;
        return Task.FromResult(Volumes.TryGetValue(name, out var existing) ? existing
            : Volumes[name] = new Volume { Name = name, Driver = request.Driver ?? "local", Labels = request.Labels ?? [], Options = request.DriverOpts ?? [] });
    }

    public Task<VolumeListResponse> VolumeListAsync(Filters? filters = null, CancellationToken cancellationToken = default)
    {
        Calls.Add("VolumeList");
        return Task.FromResult(new VolumeListResponse { Volumes = [.. Volumes.Values] });
    }

    public Task<JsonElement> VolumeInspectRawAsync(string name, CancellationToken cancellationToken = default)
    {
        Calls.Add("VolumeInspect " + name);
        return Volumes.TryGetValue(name, out var volume)
            ? Task.FromResult(JsonSerializer.SerializeToElement(volume, Berth.Api.Models.ApiJsonContext.Default.Volume))
            : throw new ApiException(HttpStatusCode.NotFound, $"get {name}: no such volume");
    }

    public Task VolumeRemoveAsync(string name, bool force = false, CancellationToken cancellationToken = default)
    {
        Calls.Add($"VolumeRemove {name} {force}");
        return Volumes.Remove(name) || force ? Task.CompletedTask : throw new ApiException(HttpStatusCode.NotFound, $"get {name}: no such volume");
    }

    public List<ExecCreateRequest> ExecRequests { get; } = [];

    public async Task<ExecCreateResponse> ExecCreateAsync(string containerId, ExecCreateRequest request, CancellationToken cancellationToken = default)
    {
        await Record($"ExecCreate {containerId}");
        ExecRequests.Add(request);
        return new ExecCreateResponse { Id = "exec1" };
    }

    public Task ExecStartDetachedAsync(string execId, ExecStartRequest request, CancellationToken cancellationToken = default) => Record($"ExecStartDetached {execId}");

    public Task<HijackedStream> ExecAttachAsync(string execId, ExecStartRequest request, CancellationToken cancellationToken = default)
    {
        Record($"ExecAttach {execId} tty={request.Tty}");
        return Task.FromResult(ExecAttach?.Invoke(execId) ?? throw new InvalidOperationException("no exec stream configured"));
    }

    public Task ExecResizeAsync(string execId, int height, int width, CancellationToken cancellationToken = default) => Record($"ExecResize {execId}");

    public Task<ExecInspectResponse> ExecInspectAsync(string execId, CancellationToken cancellationToken = default)
    {
        Record($"ExecInspect {execId}");
        return Task.FromResult(new ExecInspectResponse { ID = execId, ExitCode = ExecExitCode });
    }

    public Task<IReadOnlyList<ImageSummary>> ImageListAsync(ImageListOptions options, CancellationToken cancellationToken = default)
    {
        Record($"ImageList all={options.All} filters={options.Filters?.ToJson()}");
        return Task.FromResult<IReadOnlyList<ImageSummary>>(Images);
    }

    public Task<ImageInspectResponse> ImageInspectAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromException<ImageInspectResponse>(new ApiException(HttpStatusCode.NotFound, $"No such image: {name}"));

    public Dictionary<string, ImageInspectResponse> ImageInspects { get; } = [];

    public Task<JsonElement> ImageInspectRawAsync(string name, CancellationToken cancellationToken = default)
    {
        Record($"ImageInspectRaw {name}");
        return ImageInspects.TryGetValue(name, out var found)
            ? Task.FromResult(JsonSerializer.SerializeToElement(found, Berth.Api.Models.ApiJsonContext.Default.ImageInspectResponse))
            : Task.FromException<JsonElement>(new ApiException(HttpStatusCode.NotFound, $"No such image: {name}"));
    }

    public Task ImageTagAsync(string source, string repository, string? tag, CancellationToken cancellationToken = default) => Record($"Tag {source} {repository} {tag}");

    public async Task<string> ContainerCommitAsync(string container, ContainerCommitOptions options, CancellationToken cancellationToken = default)
    {
        await Record($"Commit {container} {options.Repository}:{options.Tag} pause={options.Pause} changes={string.Join('|', options.Changes)}");
        return "sha256:" + new string('c', 64);
    }

    public async Task<IReadOnlyList<ImageDeleteResponseItem>> ImageRemoveAsync(string name, bool force = false, bool noPrune = false, CancellationToken cancellationToken = default)
    {
        await Record($"ImageRemove {name} force={force}");
        return ImageRemoveErrors.TryGetValue(name, out var error) ? throw error : RemoveResult;
    }

    public Task<IReadOnlyList<ImageHistoryResponseItem>> ImageHistoryAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ImageHistoryResponseItem>>([]);

    public Task<ImagePruneResponse> ImagePruneAsync(Filters? filters = null, CancellationToken cancellationToken = default)
    {
        Record($"ImagePrune filters={filters?.ToJson()}");
        return Task.FromResult(new ImagePruneResponse());
    }

    public string SearchResults { get; set; } = "[]";

    public async Task<JsonElement> ImageSearchAsync(string term, int limit, Filters? filters, string? registryAuth, CancellationToken cancellationToken = default)
    {
        await Record($"Search {term} limit={limit} filters={filters?.ToJson()}");
        return JsonDocument.Parse(SearchResults).RootElement.Clone();
    }

    public List<ImagePullOptions> PullRequests { get; } = [];

    public async IAsyncEnumerable<JsonMessage> ImagePullAsync(ImagePullOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Record($"Pull {options.FromImage} tag={options.Tag}");
        PullRequests.Add(options);
        KnownImages?.Add(CreateRequests.LastOrDefault()?.Image ?? "");
        foreach (var message in PullMessages)
            yield return message;
    }

    public List<ImagePushOptions> PushRequests { get; } = [];
    public List<JsonMessage> PushMessages { get; } = [];

    public async IAsyncEnumerable<JsonMessage> ImagePushAsync(ImagePushOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Record($"Push {options.Name} tag={options.Tag}");
        PushRequests.Add(options);
        foreach (var message in PushMessages)
            yield return message;
    }

    public async IAsyncEnumerable<JsonMessage> ImageImportAsync(Stream tar, ImageImportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var length = 0L;
        var buffer = new byte[4096];
        int n;
        while ((n = await tar.ReadAsync(buffer, cancellationToken)) > 0)
            length += n;
        await Record($"Import {length} bytes repo={options.Repository} tag={options.Tag} changes={string.Join('|', options.Changes)}");
        yield return new JsonMessage { Status = "sha256:" + new string('b', 64) };
    }

    public async IAsyncEnumerable<JsonMessage> ImageLoadAsync(Stream tar, bool quiet, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Record($"Load quiet={quiet}");
        yield return new JsonMessage { Stream = "Loaded image: busybox:latest\n" };
    }

    public Task<Stream> ImageSaveAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        Record($"Save {string.Join(',', names)}");
        return Task.FromResult<Stream>(new MemoryStream("tar-bytes"u8.ToArray()));
    }
}
