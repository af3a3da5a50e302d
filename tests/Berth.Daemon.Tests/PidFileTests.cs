namespace Berth.Daemon.Tests;

/// <summary>dockerd's pidfile rules: a live process in it stops the start; a dead one's is replaced; a clean stop removes it.</summary>
public sealed class PidFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-pid-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_running_process_in_the_pidfile_refuses_the_start()
    {
        var path = Path.Combine(_dir, "berthd.pid");
        File.WriteAllText(path, "1"); // init: always running

        var e = Assert.Throws<InvalidOperationException>(() => PidFile.Create(path));

        Assert.StartsWith("process with PID 1 is still running", e.Message);
        Assert.Equal("1", File.ReadAllText(path));
    }

    [Fact]
    public void A_dead_processs_pidfile_is_replaced_and_a_clean_stop_removes_it()
    {
        var path = Path.Combine(_dir, "run", "berthd.pid");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, int.MaxValue.ToString());

        using (PidFile.Create(path))
            Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(path));

        Assert.False(File.Exists(path));
    }
}
