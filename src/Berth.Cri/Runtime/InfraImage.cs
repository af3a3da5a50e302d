using System.Formats.Tar;
using Berth.Engine;
using Berth.Engine.Images;
using EngineImages = Berth.Engine.Images.ImageService;

namespace Berth.Cri.Runtime;

/// <summary>
/// The image of every pod's infra container: one empty layer, made once in the image store. The infra process is
/// berth-runtime's own <c>infra</c> command, bind-mounted in with the host's C library directories it links against
/// (it is a native executable, not a static one), so no pause image has to be pulled or shipped.
/// </summary>
internal sealed class InfraImage(EngineImages images)
{
    public const string Reference = "localhost/berth-infra:1";

    /// <summary>Where the runtime binary appears inside the infra container.</summary>
    public const string BinaryPath = "/.berth/berth-runtime";

    /// <summary>The host's library directories the binary's loader and libc come from, where they exist.</summary>
    public static readonly string[] LibraryDirectories = ["/lib", "/lib64"];

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (await ExistsAsync(cancellationToken)) return;
            using var empty = new MemoryStream();
            await using (var tar = new TarWriter(empty, leaveOpen: true))
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, ".berth/"), cancellationToken);
            empty.Position = 0;
            await images.ImportAsync(empty, new ImportSpec(Reference, "berth's pod infra image", []), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await images.ResolveAsync(Reference, cancellationToken);
            return true;
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }
}
