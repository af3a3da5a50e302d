using System.IO.Pipelines;
using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Containers.Oci;
using Berth.Engine.Images;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Builds;

internal sealed partial class BuildSession
{
    /// <summary>
    /// COPY and ADD: the sources (context paths and globs, a stage's or an image's files with <c>--from</c>, heredocs,
    /// ADD's URLs and local archives) written into a new layer on the stage's image. The cache records
    /// <c>COPY file:&lt;hash&gt; in /dest</c>, the hash of the sources' names, modes and contents.
    /// </summary>
    private async Task CopyStepAsync(CopyInstruction copy, StageState state, CancellationToken cancellationToken)
    {
        await using var sourceRoot = await SourceRootAsync(copy, cancellationToken);
        var inline = await InlineSourcesAsync(copy, state, cancellationToken);
        var paths = copy.Sources.Where(s => !(copy.IsAdd && IsUrl(s))).ToList();
        var items = paths.Count == 0 ? [] : CopySources.Resolve(sourceRoot.Tree, paths, sourceRoot.Ignore, copy.Keyword);
        items.AddRange(inline);
        if (copy.Excludes.Count > 0) items.RemoveAll(i => copy.Excludes.Any(e => GoGlob.IsMatch(e, i.Name)));
        var destination = Destination(copy.Destination, state.Config.WorkingDir);
        if ((items.Count > 1 || copy.Parents) && !destination.EndsWith('/'))
            throw new BuildException($"When using {copy.Keyword} with more than one source file, the destination must be a directory and end with a /");
        if (items.Count == 0) throw new BuildException($"{copy.Keyword} failed: no source files were specified");

        var hash = CopySources.Hash(items, sourceRoot.Ignore);
        var text = $"{copy.Keyword} {hash} in {destination} ";
        var containerConfig = state.Config.Clone();
        containerConfig.Cmd = [.. state.Config.Shell ?? ConfigDispatcher.DefaultShell, "#(nop) ", text];
        if (await CachedAsync(state, state.Config, containerConfig, cancellationToken)) return;

        var id = await CommitLayerAsync(state, state.Config.Clone(), containerConfig, async root =>
        {
            var roots = new Dictionary<ISourceTree, string>();
            foreach (var tree in items.Select(i => i.Tree).Distinct())
                roots[tree] = tree == context.Tree ? await context.RootAsync(cancellationToken) : ((DiskTree)tree).Root;
            // ADD unpacks local archives (not downloads, not heredocs), recognised by their content.
            var archives = copy.IsAdd && copy.Unpack != false
                ? items.Where(i => i.Tree == sourceRoot.Tree && !i.IsDirectory && ArchiveFormat.Sniff(Path.Combine(roots[i.Tree], i.Path)) != ArchiveKind.NotArchive).ToList()
                : [];
            await WriteItemsAsync(copy, [.. items.Except(archives)], archives, t => roots[t], root, destination, sourceRoot.Ignore, cancellationToken);
            return true;
        }, cancellationToken);
        await StepDoneAsync(state, id, state.Config, cancellationToken);
    }

    /// <summary>
    /// WORKDIR: the config's working directory, and the directory itself when the image lacks it (0755, root's), as
    /// Docker's builder makes it; a step with nothing to create adds no layer.
    /// </summary>
    private async Task WorkdirStepAsync(WorkdirInstruction workdir, StageState state, CancellationToken cancellationToken)
    {
        var config = state.Config.Clone();
        var text = ConfigDispatcher.Apply(workdir, config, state);
        var containerConfig = config.Clone();
        containerConfig.Cmd = [.. config.Shell ?? ConfigDispatcher.DefaultShell, "#(nop) ", text];
        if (await CachedAsync(state, config, containerConfig, cancellationToken)) return;
        var id = await CommitLayerAsync(state, config, containerConfig, async root =>
        {
            if (Linux.FileStatus.TryGet(ScopedPath.ResolveOnDisk(root, config.WorkingDir!)) is not null) return false;
            await ApplyTarAsync(root, (output, token) =>
                CopyTar.WriteAsync(output, _ => root, [], config.WorkingDir + "/", true, true, new CopyOwnership(0, 0, null), null, token), cancellationToken);
            return true;
        }, cancellationToken);
        await StepDoneAsync(state, id, config, cancellationToken);
    }

    /// <summary>
    /// A step that writes files: <paramref name="write"/> works on a new layer over the stage's image, mounted at the
    /// path it is given; the step's image has that layer when it returns true, none when false. Nothing stays mounted.
    /// </summary>
    private async Task<string> CommitLayerAsync(StageState state, Oci.Image.ImageRuntimeConfig config, Oci.Image.ImageRuntimeConfig containerConfig,
        Func<string, Task<bool>> write, CancellationToken cancellationToken)
    {
        var key = BuildService.LayerPrefix + Guid.NewGuid().ToString("N");
        var root = context.NewDirectory("layer");
        await images.MountNewLayerAsync(state.ImageId, key, root, cancellationToken);
        var keep = false;
        try
        {
            keep = await write(root);
            await images.UnmountRootAsync(key, root, removeLayer: !keep, cancellationToken);
            return await images.CommitAsync(new ImageCommitSpec
            {
                ParentImageId = state.ImageId,
                Config = config,
                LayerKey = keep ? key : null,
                ConsumeLayer = true,
                ContainerConfig = containerConfig,
                CreatedBy = string.Join(' ', containerConfig.Cmd!),
                Author = state.Author,
            }, cancellationToken);
        }
        catch
        {
            await images.UnmountRootAsync(key, root, removeLayer: true, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The destination as an absolute path: relative ones are in the working directory; one that ends in <c>/</c>,
    /// <c>/.</c> or is <c>.</c> names a directory, and keeps a trailing <c>/</c> to say so.
    /// </summary>
    private static string Destination(string destination, string? workdir)
    {
        var directory = destination.EndsWith('/') || destination == "." || destination.EndsWith("/.", StringComparison.Ordinal);
        var path = destination.StartsWith('/') ? ConfigDispatcher.Workdir("/", destination) : ConfigDispatcher.Workdir(workdir, destination);
        return directory && path != "/" ? path + "/" : path;
    }

    /// <summary>Places the items at the destination, resolved in the layer's root, and unpacks the archives into it.</summary>
    private async Task WriteItemsAsync(CopyInstruction copy, List<CopyItem> plain, List<CopyItem> archives, Func<ISourceTree, string> sources,
        string root, string destination, DockerIgnore? ignore, CancellationToken cancellationToken)
    {
        var owner = Ownership(copy, root);
        var existing = Linux.FileStatus.TryGet(ScopedPath.ResolveOnDisk(root, destination));
        var intoDirectory = destination.EndsWith('/') || existing is { Kind: Linux.FileKind.Directory } || plain.Count > 1;
        var createDestination = existing is null && (intoDirectory || plain.Any(i => i.IsDirectory) || archives.Count > 0);
        if (plain.Count > 0 || createDestination)
            await ApplyTarAsync(root, (output, token) =>
                CopyTar.WriteAsync(output, sources, plain, destination, intoDirectory, createDestination, owner, ignore, token, copy.Parents), cancellationToken);
        foreach (var archive in archives)
            await UnpackAsync(Path.Combine(sources(archive.Tree), archive.Path), ScopedPath.ResolveOnDisk(root, destination), cancellationToken);
    }

    /// <summary>ADD's local archive unpacked into <paramref name="target"/>; bzip2 and xz decompressed in the build's directory first.</summary>
    private async Task UnpackAsync(string archive, string target, CancellationToken cancellationToken)
    {
        var kind = ArchiveFormat.Sniff(archive);
        var tar = ArchiveFormat.NeedsTool(kind) ? Path.Combine(context.NewDirectory("unpack"), "archive.tar") : archive;
        try
        {
            if (tar != archive) await ArchiveFormat.DecompressAsync(kind, archive, tar, cancellationToken);
            await using var file = File.OpenRead(tar);
            await LayerApplier.ApplyAsync(file, target, WhiteoutMode.Delete, cancellationToken);
        }
        finally
        {
            if (tar != archive) File.Delete(tar);
        }
    }

    /// <summary>Streams a tar from <paramref name="write"/> into the layer applier, which writes it under <paramref name="root"/>.</summary>
    private static async Task ApplyTarAsync(string root, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            await using var output = pipe.Writer.AsStream();
            try
            {
                await write(output, cancellationToken);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, cancellationToken);
        await using (var input = pipe.Reader.AsStream()) await LayerApplier.ApplyAsync(input, root, WhiteoutMode.Delete, cancellationToken);
        await writing;
    }

    /// <summary><c>--chown</c> resolved in the layer's own /etc/passwd and /etc/group (root without it); <c>--chmod</c> as octal.</summary>
    private static CopyOwnership Ownership(CopyInstruction copy, string root)
    {
        UnixFileMode? mode = null;
        if (copy.Chmod is { Length: > 0 } chmod)
        {
            try
            {
                mode = (UnixFileMode)Convert.ToInt32(chmod, 8);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new BuildException($"invalid chmod parameter: {chmod}", inner: e);
            }
        }
        if (copy.Chown is not { Length: > 0 } chown) return new CopyOwnership(0, 0, mode);
        try
        {
            // A user without a group gets the gid equal to its uid (Docker's rule for --chown, not the user's primary group).
            var user = UserResolver.Resolve(root, chown, []);
            return new CopyOwnership((int)user.Uid, chown.Contains(':') ? (int)user.Gid : (int)user.Uid, mode);
        }
        catch (EngineException e)
        {
            throw new BuildException($"unable to convert uid/gid chown string to host mapping: {e.Message}", inner: e);
        }
    }

    /// <summary>Heredoc sources and ADD's URLs as files of the build's own.</summary>
    private async Task<List<CopyItem>> InlineSourcesAsync(CopyInstruction copy, StageState state, CancellationToken cancellationToken)
    {
        var items = new List<CopyItem>();
        var directory = context.NewDirectory("inline");
        var tree = new DiskTree(directory);
        foreach (var heredoc in copy.Heredocs)
        {
            var path = Path.Combine(directory, heredoc.Name);
            await File.WriteAllTextAsync(path, heredoc.Expand ? VariableExpander.ExpandHeredoc(heredoc.Body, state.Variables()) : heredoc.Body, cancellationToken);
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
            items.Add(new CopyItem(tree, heredoc.Name, heredoc.Name, Linux.FileStatus.TryGet(path)!.Value));
        }
        foreach (var url in copy.IsAdd ? copy.Sources.Where(IsUrl) : [])
            items.Add(await DownloadAsync(url, tree, copy.Checksum, cancellationToken));
        return items;
    }

    private static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>ADD's URL: fetched into the build's directory as 0600 with the server's Last-Modified as mtime, as Docker does.</summary>
    /// <exception cref="BuildException"><c>--checksum</c> given and the content does not match it.</exception>
    private static async Task<CopyItem> DownloadAsync(string url, DiskTree tree, string? checksum, CancellationToken cancellationToken)
    {
        using var response = await RemoteContext.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new BuildException($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
        var name = Path.GetFileName(new Uri(url).AbsolutePath) is { Length: > 0 } last ? last : "__unnamed__";
        var path = Path.Combine(tree.Root, name);
        await using (var file = File.Create(path)) await response.Content.CopyToAsync(file, cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (response.Content.Headers.LastModified is { } modified) File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        if (checksum is { Length: > 0 })
        {
            await using var file = File.OpenRead(path);
            var actual = "sha256:" + Convert.ToHexStringLower(await global::System.Security.Cryptography.SHA256.HashDataAsync(file, cancellationToken));
            if (!string.Equals(actual, checksum, StringComparison.OrdinalIgnoreCase))
                throw new BuildException($"digest mismatch {actual}: {checksum}");
        }
        return new CopyItem(tree, name, name, Linux.FileStatus.TryGet(path)!.Value);
    }

}
