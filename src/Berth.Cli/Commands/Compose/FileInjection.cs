using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Berth.Api.Client;
using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Secrets and configs given by <c>content</c> or <c>environment</c>: compose v2 writes each into the created
/// container as a one-file tar copied to <c>/</c> (secrets under <c>/run/secrets/</c> unless the target is
/// absolute, configs at <c>/NAME</c>), mode 0444 unless <c>mode</c> says otherwise. File-based ones are binds.
/// </summary>
internal static class FileInjection
{
    /// <summary>Every text the service needs, read now: an unset variable is refused before anything is created.</summary>
    /// <exception cref="ComposeException">A variable is unset, or the service is read-only.</exception>
    public static List<(FileReference Reference, string Target, string Content)> Files(ComposeProject project, ServiceConfig service)
    {
        var files = new List<(FileReference, string, string)>();
        foreach (var (section, references) in new[] { ("secrets", service.Secrets), ("configs", service.Configs) })
            foreach (var reference in references)
            {
                if (project.ContentOf(section, reference.Source) is not { Length: > 0 } content)
                    continue;
                if (service.ReadOnly)
                    throw new ComposeException($"cannot create {section[..^1]} \"{reference.Source}\" in read-only service {service.Name}: `file` is the sole supported option");
                files.Add((reference, Target(section, reference), content));
            }
        return files;
    }

    public static async Task InjectAsync(IBerthClient client, ComposeProject project, ServiceConfig service, string id, CancellationToken cancellationToken)
    {
        foreach (var (reference, target, content) in Files(project, service))
        {
            using var tar = new MemoryStream();
            await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, target.TrimStart('/'))
                {
                    Mode = (UnixFileMode)(reference.Mode ?? 0b100_100_100),
                    Uid = reference.Uid is { } uid ? int.Parse(uid, CultureInfo.InvariantCulture) : 0,
                    Gid = reference.Gid is { } gid ? int.Parse(gid, CultureInfo.InvariantCulture) : 0,
                    ModificationTime = DateTimeOffset.UtcNow,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                };
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            tar.Position = 0;
            await client.CopyToContainerAsync(id, "/", tar, allowOverwriteDirWithFile: false,
                copyUidGid: reference.Uid is not null || reference.Gid is not null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Target(string section, FileReference reference) => reference.Target switch
    {
        null => section == "secrets" ? "/run/secrets/" + reference.Source : "/" + reference.Source,
        var target when section == "secrets" && !target.StartsWith('/') => "/run/secrets/" + target,
        var target => target,
    };
}
