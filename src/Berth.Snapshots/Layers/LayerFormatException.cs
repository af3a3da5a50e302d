using ZstdSharp;

namespace Berth.Snapshots.Layers;

/// <summary>A tar that <see cref="LayerTarReader"/> cannot read, said in our own words.</summary>
public sealed class LayerFormatException(string message) : Exception(message)
{
    /// <summary>Whether <paramref name="e"/> says the bytes are not a (compressed) tar: ours, or gzip's, zstd's or a cut stream's.</summary>
    public static bool IsFormatError(Exception e) => e is LayerFormatException or InvalidDataException or EndOfStreamException or ZstdException;

    /// <summary>
    /// Why an archive could not be read, as a sentence: .NET's own messages are resource keys in the NativeAOT daemon
    /// (<c>IO_EOF_ReadBeyondEOF</c>), so only ours are passed on.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        LayerFormatException => e.Message,
        EndOfStreamException => "unexpected EOF",
        ZstdException => "the zstd stream is damaged",
        _ => "the gzip stream is damaged",
    };
}
