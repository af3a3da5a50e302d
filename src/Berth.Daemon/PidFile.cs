using System.Globalization;

namespace Berth.Daemon;

/// <summary>
/// dockerd's pidfile: refuses to start when the file names a process that still runs (another daemon on the same
/// state), writes this process's pid, and is removed on a clean stop.
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;

    private PidFile(string path) => _path = path;

    public static PidFile Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && pid != Environment.ProcessId && Directory.Exists($"/proc/{pid}"))
            throw new InvalidOperationException($"process with PID {pid} is still running: pid file found, ensure berthd is not running or delete {path}");
        var temp = path + ".tmp";
        File.WriteAllText(temp, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, path, overwrite: true);
        return new PidFile(path);
    }

    public void Dispose() => File.Delete(_path);
}
