using System.Text.Json;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Events;
using Berth.Api.Models.Exec;
using Berth.Api.Models.Images;
using Berth.Api.Models.Networks;
using Berth.Api.Models.Streams;
using Berth.Api.Models.System;
using Berth.Api.Models.Volumes;

namespace Berth.Api.Client;

/// <summary>
/// The Engine API as the CLI and Compose use it. Stateless per call: every method is one request; streams returned
/// by it belong to the caller, who disposes them (which closes the connection). Errors: <see cref="ApiException"/>
/// for an error status (its message is the daemon's), <see cref="DaemonUnreachableException"/> when nothing answers.
/// </summary>
public interface IBerthClient
{
    // System
    Task<PingResponse> PingAsync(CancellationToken cancellationToken = default);
    Task<SystemVersion> VersionAsync(CancellationToken cancellationToken = default);
    Task<SystemInfo> InfoAsync(CancellationToken cancellationToken = default);
    Task<SystemDfResponse> DiskUsageAsync(CancellationToken cancellationToken = default);
    IAsyncEnumerable<EventMessage> EventsAsync(EventsOptions options, CancellationToken cancellationToken = default);

    /// <summary>The daemon's prune reports as sent (<c>NetworksDeleted</c>; <c>VolumesDeleted</c>/<c>CachesDeleted</c> with <c>SpaceReclaimed</c>).</summary>
    Task<JsonElement> NetworkPruneAsync(Filters? filters = null, CancellationToken cancellationToken = default);
    Task<JsonElement> VolumePruneAsync(Filters? filters = null, CancellationToken cancellationToken = default);
    Task<JsonElement> BuildCachePruneAsync(bool all, Filters? filters = null, CancellationToken cancellationToken = default);

    /// <summary>Checks credentials against a registry (<c>POST /auth</c>).</summary>
    /// <exception cref="ApiException">401 with the registry's refusal when the login failed.</exception>
    Task<AuthResponse> SystemAuthAsync(AuthConfig config, CancellationToken cancellationToken = default);

    // Volumes
    /// <summary>An existing name returns the existing volume.</summary>
    Task<Volume> VolumeCreateAsync(VolumeCreateRequest request, CancellationToken cancellationToken = default);
    Task<VolumeListResponse> VolumeListAsync(Filters? filters = null, CancellationToken cancellationToken = default);
    /// <exception cref="ApiException">404 <c>get x: no such volume</c>.</exception>
    Task<JsonElement> VolumeInspectRawAsync(string name, CancellationToken cancellationToken = default);
    /// <exception cref="ApiException">409 <c>remove x: volume is in use - [ids]</c>.</exception>
    Task VolumeRemoveAsync(string name, bool force = false, CancellationToken cancellationToken = default);

    // Containers
    /// <exception cref="ApiException">404 <c>No such image: x</c> when the image is missing (the caller pulls).</exception>
    Task<ContainerCreateResponse> ContainerCreateAsync(ContainerCreateRequest request, string? name, string? platform = null, CancellationToken cancellationToken = default);
    Task ContainerStartAsync(string id, CancellationToken cancellationToken = default);
    Task ContainerStopAsync(string id, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default);
    Task ContainerRestartAsync(string id, int? timeoutSeconds = null, string? signal = null, CancellationToken cancellationToken = default);
    Task ContainerKillAsync(string id, string? signal = null, CancellationToken cancellationToken = default);
    Task ContainerPauseAsync(string id, CancellationToken cancellationToken = default);
    Task ContainerUnpauseAsync(string id, CancellationToken cancellationToken = default);
    Task ContainerRemoveAsync(string id, bool force = false, bool removeVolumes = false, bool removeLinks = false, CancellationToken cancellationToken = default);
    Task ContainerRenameAsync(string id, string newName, CancellationToken cancellationToken = default);

    /// <summary>Changes resources and the restart policy (<c>POST /containers/{id}/update</c>, docker's UpdateConfig: HostConfig's fields).</summary>
    Task<ContainerUpdateResponse> ContainerUpdateAsync(string id, HostConfig update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens <c>POST /containers/{id}/wait?condition=</c> (<c>not-running</c>, <c>next-exit</c>, <c>removed</c>).
    /// The returned task completes once the daemon has answered with headers, i.e. the waiter is registered
    /// (call this before <see cref="ContainerStartAsync"/>); its inner task completes with the body at exit.
    /// </summary>
    Task<Task<ContainerWaitResponse>> ContainerWaitAsync(string id, string condition = "not-running", CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ContainerSummary>> ContainerListAsync(ContainerListOptions options, CancellationToken cancellationToken = default);
    Task<ContainerInspectResponse> ContainerInspectAsync(string id, bool size = false, CancellationToken cancellationToken = default);

    /// <summary>The inspect body as the daemon sent it (every field, for <c>--format</c> and <c>inspect</c>'s JSON).</summary>
    Task<JsonElement> ContainerInspectRawAsync(string id, bool size = false, CancellationToken cancellationToken = default);

    /// <summary>The log body: multiplexed frames unless the container has a TTY (check <c>Config.Tty</c>).</summary>
    Task<Stream> ContainerLogsAsync(string id, LogsOptions options, CancellationToken cancellationToken = default);

    /// <summary>Hijacks <c>POST /containers/{id}/attach</c>; the stream is raw when the container has a TTY.</summary>
    Task<HijackedStream> ContainerAttachAsync(string id, AttachOptions options, CancellationToken cancellationToken = default);

    Task ContainerResizeAsync(string id, int height, int width, CancellationToken cancellationToken = default);
    Task<ContainerTopResponse> ContainerTopAsync(string id, string? psArgs = null, CancellationToken cancellationToken = default);

    /// <summary>Stats samples; with <paramref name="stream"/> false, exactly one.</summary>
    IAsyncEnumerable<ContainerStatsResponse> ContainerStatsAsync(string id, bool stream, CancellationToken cancellationToken = default);

    Task<ContainerPruneResponse> ContainerPruneAsync(Filters? filters = null, CancellationToken cancellationToken = default);

    // Container files
    /// <summary><c>GET /containers/{id}/changes</c>; empty when nothing changed.</summary>
    Task<IReadOnlyList<FilesystemChange>> ContainerChangesAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>GET /containers/{id}/export</c>: the tar of its root filesystem.</summary>
    Task<Stream> ContainerExportAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>HEAD /containers/{id}/archive</c>: the stat of a path in the container (a last link not followed).</summary>
    Task<ContainerPathStat> ContainerStatPathAsync(string id, string path, CancellationToken cancellationToken = default);

    /// <summary><c>GET /containers/{id}/archive</c>: a tar of the path, and its stat.</summary>
    Task<(Stream Content, ContainerPathStat Stat)> CopyFromContainerAsync(string id, string path, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /containers/{id}/archive</c>: extracts <paramref name="tar"/> into the directory <paramref name="path"/>.</summary>
    Task CopyToContainerAsync(string id, string path, Stream tar, bool allowOverwriteDirWithFile, bool copyUidGid, CancellationToken cancellationToken = default);

    // Exec
    Task<ExecCreateResponse> ExecCreateAsync(string containerId, ExecCreateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts an exec detached (<c>{"Detach":true}</c>, plain 200).</summary>
    Task ExecStartDetachedAsync(string execId, ExecStartRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts an exec and hijacks its connection (JSON body plus <c>Upgrade: tcp</c>).</summary>
    Task<HijackedStream> ExecAttachAsync(string execId, ExecStartRequest request, CancellationToken cancellationToken = default);

    Task ExecResizeAsync(string execId, int height, int width, CancellationToken cancellationToken = default);
    Task<ExecInspectResponse> ExecInspectAsync(string execId, CancellationToken cancellationToken = default);

    // Networks
    /// <summary><c>GET /networks</c>: every network, <c>Containers</c> left empty as Docker does.</summary>
    Task<IReadOnlyList<NetworkResource>> NetworkListAsync(Filters? filters = null, CancellationToken cancellationToken = default);

    /// <exception cref="ApiException">404 <c>network x not found</c>.</exception>
    Task<NetworkResource> NetworkInspectAsync(string id, bool verbose = false, CancellationToken cancellationToken = default);

    /// <summary>The inspect body as the daemon sent it (for <c>--format</c> and <c>inspect</c>'s JSON).</summary>
    Task<JsonElement> NetworkInspectRawAsync(string id, bool verbose = false, CancellationToken cancellationToken = default);

    Task<NetworkCreateResponse> NetworkCreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken = default);
    Task NetworkRemoveAsync(string id, CancellationToken cancellationToken = default);
    Task NetworkConnectAsync(string id, NetworkConnectRequest request, CancellationToken cancellationToken = default);
    Task NetworkDisconnectAsync(string id, NetworkDisconnectRequest request, CancellationToken cancellationToken = default);

    // Images
    Task<IReadOnlyList<ImageSummary>> ImageListAsync(ImageListOptions options, CancellationToken cancellationToken = default);
    Task<ImageInspectResponse> ImageInspectAsync(string name, CancellationToken cancellationToken = default);
    Task<JsonElement> ImageInspectRawAsync(string name, CancellationToken cancellationToken = default);
    Task ImageTagAsync(string source, string repository, string? tag, CancellationToken cancellationToken = default);

    /// <summary>Makes an image of the container's changes (<c>POST /commit</c>); returns its id.</summary>
    Task<string> ContainerCommitAsync(string container, ContainerCommitOptions options, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ImageDeleteResponseItem>> ImageRemoveAsync(string name, bool force = false, bool noPrune = false, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ImageHistoryResponseItem>> ImageHistoryAsync(string name, CancellationToken cancellationToken = default);
    Task<ImagePruneResponse> ImagePruneAsync(Filters? filters = null, CancellationToken cancellationToken = default);

    /// <summary>Pull progress; a failure after the stream began arrives as a message with <c>errorDetail</c>.</summary>
    IAsyncEnumerable<JsonMessage> ImagePullAsync(ImagePullOptions options, CancellationToken cancellationToken = default);

    /// <summary>Push progress, ending with an <c>aux</c> {Tag, Digest, Size} per tag; failures arrive as in a pull.</summary>
    IAsyncEnumerable<JsonMessage> ImagePushAsync(ImagePushOptions options, CancellationToken cancellationToken = default);

    IAsyncEnumerable<JsonMessage> ImageImportAsync(Stream tar, ImageImportOptions options, CancellationToken cancellationToken = default);
    IAsyncEnumerable<JsonMessage> ImageLoadAsync(Stream tar, bool quiet, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /build</c>: the context is packed while it is sent; the stream carries the build's output lines,
    /// the image ID as <c>aux</c>, and a failure as a message with <c>errorDetail</c>.
    /// </summary>
    IAsyncEnumerable<JsonMessage> ImageBuildAsync(BuildContext context, ImageBuildOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// The registry's search results as sent (<c>GET /images/search</c>: <c>[{name, description, star_count, is_official,
    /// is_automated}]</c>); the daemon's error when the registry does not answer searches.
    /// </summary>
    Task<JsonElement> ImageSearchAsync(string term, int limit, Filters? filters, string? registryAuth, CancellationToken cancellationToken = default);

    /// <summary>A tar of the named images (<c>GET /images/get?names=</c>).</summary>
    Task<Stream> ImageSaveAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default);
}
