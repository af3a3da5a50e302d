using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Cli.Tests.Commands.Build;

/// <summary>A sent build context read back: entry name → (type, mode, uid, gid, content or link target).</summary>
internal static class ContextTarReader
{
    public static Dictionary<string, (TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string Text)> Read(byte[] tar)
    {
        Stream stream = new MemoryStream(tar);
        if (tar.Length > 2 && tar[0] == 0x1F && tar[1] == 0x8B)
            stream = new GZipStream(stream, CompressionMode.Decompress);
        var entries = new Dictionary<string, (TarEntryType, UnixFileMode, int, int, string)>();
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var text = entry.LinkName;
            if (entry.DataStream is { } data)
                text = new StreamReader(data).ReadToEnd();
            entries[entry.Name] = (entry.EntryType, entry.Mode, entry.Uid, entry.Gid, text);
        }
        return entries;
    }
}
