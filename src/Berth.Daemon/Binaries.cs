namespace Berth.Daemon;

/// <summary>Where berthd finds the binaries it starts: beside itself, then in <c>$BERTH_BIN</c>, then on PATH.</summary>
internal static class Binaries
{
    public static string Find(string name)
    {
        IEnumerable<string?> dirs = [AppContext.BaseDirectory, Environment.GetEnvironmentVariable("BERTH_BIN"),
            .. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')];
        return dirs.Where(d => !string.IsNullOrEmpty(d)).Select(d => Path.Combine(d!, name)).FirstOrDefault(File.Exists)
            ?? Path.Combine(AppContext.BaseDirectory, name);
    }
}
