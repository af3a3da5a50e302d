using System.Net;
using Berth.Api.Client;
using Berth.Api.Models.Containers;

namespace Berth.Cli.Tests.Fakes;

internal sealed partial class FakeBerthClient
{
    /// <summary>What <c>changes</c> answers, by container.</summary>
    public Dictionary<string, List<FilesystemChange>> Changes { get; } = [];

    /// <summary>What the archive endpoints find, by <c>container:path</c> exactly as asked; others are the daemon's 404.</summary>
    public Dictionary<string, (ContainerPathStat Stat, byte[] Tar)> ContainerFiles { get; } = [];

    /// <summary>Every PUT archive: where, with which flags, and the tar sent.</summary>
    public List<(string Container, string Path, bool NoOverwriteDirNonDir, bool CopyUidGid, byte[] Tar)> CopiedIn { get; } = [];

    public byte[] ExportTar { get; set; } = "export-bytes"u8.ToArray();

    public Task<IReadOnlyList<FilesystemChange>> ContainerChangesAsync(string id, CancellationToken cancellationToken = default) =>
        Changes.TryGetValue(id, out var changes) ? Task.FromResult<IReadOnlyList<FilesystemChange>>(changes) : throw NoSuchContainer(id);

    public Task<Stream> ContainerExportAsync(string id, CancellationToken cancellationToken = default)
    {
        Record($"Export {id}");
        return Task.FromResult<Stream>(new MemoryStream(ExportTar));
    }

    public Task<ContainerPathStat> ContainerStatPathAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        Record($"StatPath {id}:{path}");
        return Task.FromResult(File(id, path).Stat);
    }

    public Task<(Stream Content, ContainerPathStat Stat)> CopyFromContainerAsync(string id, string path, CancellationToken cancellationToken = default)
    {
        Record($"CopyFrom {id}:{path}");
        var (stat, tar) = File(id, path);
        return Task.FromResult<(Stream, ContainerPathStat)>((new MemoryStream(tar), stat));
    }

    public async Task CopyToContainerAsync(string id, string path, Stream tar, bool allowOverwriteDirWithFile, bool copyUidGid,
        CancellationToken cancellationToken = default)
    {
        var buffer = new MemoryStream();
        await tar.CopyToAsync(buffer, cancellationToken);
        lock (CopiedIn) CopiedIn.Add((id, path, !allowOverwriteDirWithFile, copyUidGid, buffer.ToArray()));
    }

    private (ContainerPathStat Stat, byte[] Tar) File(string id, string path) =>
        ContainerFiles.TryGetValue($"{id}:{path}", out var file)
            ? file
            : throw new ApiException(HttpStatusCode.NotFound, $"Could not find the file {path} in container {id}");
}
