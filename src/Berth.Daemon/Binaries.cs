namespace Berth.Daemon;

/// <summary>
/// Where berthd finds the binaries it starts: beside itself, then in <c>$BERTH_BIN</c>, then on PATH. Without one of
/// them no container could start, so berthd refuses to start instead (every run would fail or hang).
/// </summary>
internal static class Binaries
{
    public static string Find(string name)
    {
        IEnumerable<string?> dirs = [AppContext.BaseDirectory, Environment.GetEnvironmentVariable("BERTH_BIN"),
            .. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')];
        return dirs.Where(d => !string.IsNullOrEmpty(d)).Select(d => Path.Combine(d!, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{name} not found beside berthd ({AppContext.BaseDirectory.TrimEnd('/')}), in $BERTH_BIN or on PATH: install it with berthd");
    }
}
