using System.Diagnostics;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>berthd without its shim or runtime would accept containers it can never start: it refuses to start instead.</summary>
public sealed class MissingBinariesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-alone-").FullName;

    public MissingBinariesTests() => Privileges.RequireRoot();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PrivilegedFact]
    public void Berthd_without_berth_shim_refuses_to_start_and_says_why()
    {
        var daemon = Path.Combine(_dir, "berthd");
        File.Copy(RepoPaths.Daemon, daemon);
        foreach (var library in Directory.GetFiles(Path.GetDirectoryName(RepoPaths.Daemon)!, "*.so"))
            File.Copy(library, Path.Combine(_dir, Path.GetFileName(library)));
        var info = new ProcessStartInfo(daemon) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-H", $"unix://{_dir}/b.sock", "--data-root", $"{_dir}/data", "--exec-root", $"{_dir}/exec",
                     "--pidfile", $"{_dir}/berthd.pid", "--config-file", $"{_dir}/daemon.json" })
            info.ArgumentList.Add(a);
        File.WriteAllText(Path.Combine(_dir, "daemon.json"), "{}");
        info.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        info.Environment.Remove("BERTH_BIN");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), "berthd kept running without its shim");

        Assert.Equal(1, process.ExitCode);
        Assert.Contains($"berthd: berth-shim not found beside berthd ({_dir})", stderr.Result);
        Assert.False(File.Exists(Path.Combine(_dir, "b.sock")));
    }
}
