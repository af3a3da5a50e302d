using Berth.Distribution.Server;
using Berth.Distribution.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Registry;

/// <summary><c>berth-registry gc</c>: mark and sweep over a filesystem data root.</summary>
internal static class GcCommand
{
    public static readonly HashSet<string> Options = ["root", "upload-max-age"];

    public static readonly HashSet<string> Flags = ["dry-run"];

    public const string Usage = """
        berth-registry gc [options]      (stop pushes while it runs)
          --root DIR                  data root (default /var/lib/berth/registry)
          --dry-run                   report what would be removed, remove nothing
          --upload-max-age HOURS      also remove uploads started longer ago (default 168)
        """;

    public static async Task<int> RunAsync(CommandLine line, TextWriter output, CancellationToken cancellationToken)
    {
        var driver = new FileSystemDriver(line.Get("root", "/var/lib/berth/registry"));
        if (!double.TryParse(line.Get("upload-max-age", "168"), System.Globalization.CultureInfo.InvariantCulture, out var hours))
            throw new UsageException("--upload-max-age takes a number of hours");
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var manifests = new ManifestStore(driver, new BlobStore(driver));
        var collector = new GarbageCollector(driver, new Listings(driver, manifests), loggers.CreateLogger<GarbageCollector>());
        var dryRun = line.Flag("dry-run");
        var result = await collector.RunAsync(dryRun, TimeSpan.FromHours(hours), cancellationToken);
        await output.WriteLineAsync(
            $"{result.Manifests} manifests, {result.MarkedBlobs} blobs in use; {(dryRun ? "would remove" : "removed")} " +
            $"{result.SweptBlobs.Count} blobs ({result.FreedBytes} bytes) and {result.SweptUploads} uploads");
        return 0;
    }
}
