using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Containers.Model;

namespace Berth.Engine.Builds;

internal sealed partial class BuildSession
{
    /// <summary>
    /// A RUN step's mount and what the cache records of it. A bind mount takes the context (its <see cref="CacheKey"/> has
    /// the hash of the bound path's content) or, with <c>from=</c>, a stage's or an image's files (the key has the image id),
    /// so the step reruns when what it sees changes. Cache and tmpfs mounts are not part of the key, as in BuildKit.
    /// </summary>
    private sealed record StepMount(RunMount Mount, bool FromImage, string? ImageId, string? CacheKey)
    {
        public string Source => SourceOf(Mount);
    }

    private static string SourceOf(RunMount mount) => mount.Options.GetValueOrDefault("source") ?? mount.Options.GetValueOrDefault("src") ?? "";

    /// <summary>The RUN step's mounts with their cache keys: a <c>from=</c> stage is waited for here, before the cache is asked.</summary>
    private async Task<List<StepMount>> StepMountsAsync(RunInstruction run, CancellationToken cancellationToken)
    {
        var mounts = new List<StepMount>();
        foreach (var mount in run.Mounts)
        {
            if (mount.Type != "bind")
            {
                mounts.Add(new StepMount(mount, false, null, null));
                continue;
            }
            var target = Target(mount);
            var readWrite = IsReadWrite(mount) ? ",rw" : "";
            var source = SourceOf(mount);
            if (mount.Options.GetValueOrDefault("from") is { Length: > 0 } from)
            {
                var imageId = await FromImageAsync(from, cancellationToken);
                mounts.Add(new StepMount(mount, true, imageId, $"--mount=type=bind,from={imageId ?? "scratch"},source={source},target={target}{readWrite}"));
                continue;
            }
            var items = CopySources.Resolve(context.Tree, [source], _ignore, "RUN --mount=type=bind");
            mounts.Add(new StepMount(mount, false, null, $"--mount=type=bind,source={source},target={target}{readWrite},{CopySources.Hash(items, _ignore)}"));
        }
        return mounts;
    }

    /// <summary>The mounts of a RUN step's container; disposing it releases the image roots mounted for <c>from=</c> binds.</summary>
    private sealed class ContainerMounts : IAsyncDisposable
    {
        public List<MountSpec> Specs { get; } = [];
        public List<Func<ValueTask>> Releases { get; } = [];

        public async ValueTask DisposeAsync()
        {
            foreach (var release in Releases) await release();
        }
    }

    /// <summary>
    /// BuildKit's <c>RUN --mount</c> as mounts of the step's container: <c>bind</c> (a context path, or with <c>from=</c> a
    /// path in a stage's or an image's files; read-only unless <c>rw</c>, and then the writes are discarded), <c>cache</c> (a
    /// directory kept by the daemon per <c>id</c>, the target by default, made with the given <c>uid</c>/<c>gid</c>/<c>mode</c>)
    /// and <c>tmpfs</c>. Secrets and SSH need BuildKit's session: refused.
    /// </summary>
    private async Task<ContainerMounts> ContainerMountsAsync(IReadOnlyList<StepMount> mounts, CancellationToken cancellationToken)
    {
        var result = new ContainerMounts();
        try
        {
            foreach (var mount in mounts)
                result.Specs.Add(mount.Mount.Type == "bind" ? await BindSpecAsync(mount, result, cancellationToken) : MountSpecOf(mount.Mount));
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
        return result;
    }

    private async Task<MountSpec> BindSpecAsync(StepMount mount, ContainerMounts mounts, CancellationToken cancellationToken)
    {
        string root;
        if (mount.FromImage)
        {
            (root, var release) = await MountImageAsync(mount.ImageId, cancellationToken);
            mounts.Releases.Add(release);
        }
        else
        {
            root = await context.RootAsync(cancellationToken);
        }
        var source = ScopedPath.ResolveOnDisk(root, mount.Source);
        if (mount.FromImage && !Path.Exists(source))
            throw new BuildException($"RUN --mount=type=bind,from={mount.Mount.Options["from"]}: source \"/{mount.Source.TrimStart('/')}\": not found");
        return new MountSpec { Type = "bind", Source = source, Target = Target(mount.Mount), ReadOnly = !IsReadWrite(mount.Mount) };
    }

    private MountSpec MountSpecOf(RunMount mount) => mount.Type switch
    {
        "cache" => new MountSpec
        {
            Type = "bind", Source = CacheDirectory(mount, Target(mount)), Target = Target(mount),
            ReadOnly = mount.Options.ContainsKey("ro") || mount.Options.ContainsKey("readonly"),
        },
        "tmpfs" => new MountSpec { Type = "tmpfs", Target = Target(mount) },
        "secret" or "ssh" => throw new BuildException($"RUN --mount=type={mount.Type} needs BuildKit's session, which the /build API does not carry"),
        _ => throw new BuildException($"unsupported mount type \"{mount.Type}\""),
    };

    private static string Target(RunMount mount) =>
        mount.Target is { Length: > 0 } target ? target : throw new BuildException($"RUN --mount=type={mount.Type}: target is required");

    private static bool IsReadWrite(RunMount mount) => mount.Options.ContainsKey("rw") || mount.Options.ContainsKey("readwrite");

    /// <summary>A cache mount's directory: <c>&lt;data-root&gt;/builder/cache/&lt;hash of id&gt;</c>, made on first use.</summary>
    private string CacheDirectory(RunMount mount, string target)
    {
        var id = mount.Options.GetValueOrDefault("id") is { Length: > 0 } given ? given : target;
        var directory = Path.Combine(options.DataRoot, "builder", "cache", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32]);
        if (Directory.Exists(directory)) return directory;
        Directory.CreateDirectory(directory);
        var mode = mount.Options.GetValueOrDefault("mode") is { Length: > 0 } m ? Convert.ToInt32(m, 8) : 0x1ED;
        File.SetUnixFileMode(directory, (UnixFileMode)mode);
        int Id(string key) => int.TryParse(mount.Options.GetValueOrDefault(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        Linux.FileOwnership.ChownAt(Snapshots.FileTree.CurrentDirectory, directory, (uint)Id("uid"), (uint)Id("gid"));
        return directory;
    }
}
