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
    /// BuildKit's <c>RUN --mount</c> as a mount of the step's container: <c>bind</c> (a context path, read-only unless
    /// <c>rw</c>), <c>cache</c> (a directory kept by the daemon per <c>id</c>, the target by default, made with the
    /// given <c>uid</c>/<c>gid</c>/<c>mode</c>) and <c>tmpfs</c>. Secrets and SSH need BuildKit's session: refused.
    /// </summary>
    private MountSpec RunMountSpec(RunMount mount, string contextRoot)
    {
        var target = mount.Target is { Length: > 0 } t ? t : throw new BuildException($"RUN --mount=type={mount.Type}: target is required");
        string Option(string key) => mount.Options.GetValueOrDefault(key) ?? "";
        var readWrite = mount.Options.ContainsKey("rw") || mount.Options.ContainsKey("readwrite");
        return mount.Type switch
        {
            "bind" when Option("from").Length > 0 =>
                throw new BuildException("RUN --mount=type=bind,from=… is not supported by this builder: copy from the stage with COPY --from"),
            "bind" => new MountSpec
            {
                Type = "bind",
                Source = ScopedPath.ResolveOnDisk(contextRoot, Option("source") is { Length: > 0 } s ? s : Option("src")),
                Target = target,
                ReadOnly = !readWrite,
            },
            "cache" => new MountSpec { Type = "bind", Source = CacheDirectory(mount, target), Target = target, ReadOnly = mount.Options.ContainsKey("ro") || mount.Options.ContainsKey("readonly") },
            "tmpfs" => new MountSpec { Type = "tmpfs", Target = target },
            "secret" or "ssh" => throw new BuildException($"RUN --mount=type={mount.Type} needs BuildKit's session, which the /build API does not carry"),
            _ => throw new BuildException($"unsupported mount type \"{mount.Type}\""),
        };
    }

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
