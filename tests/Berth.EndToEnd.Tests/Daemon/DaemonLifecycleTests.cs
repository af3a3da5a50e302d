using System.Diagnostics;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>How berthd starts and stops as a service: socket activation by systemd, and SIGTERM leaving containers be.</summary>
public sealed class DaemonLifecycleTests
{
    public DaemonLifecycleTests() => Privileges.RequireRoot();

    /// <summary>Whether process <paramref name="pid"/> is a berth-shim child of <paramref name="parent"/>; false once it is gone.</summary>
    private static bool ShimOf(string pid, int parent)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString() && File.ReadAllText($"/proc/{pid}/comm").Trim() == "berth-shim";
        }
        catch (IOException)
        {
            return false; // exited while we looked
        }
    }

    [PrivilegedFact]
    public void Sigterm_stops_serving_and_leaves_containers_running_for_the_next_start()
    {
        using var daemon = new DaemonProcess();
        daemon.SeedBusybox();
        var id = daemon.Docker("run", "-d", "busybox", "sleep", "300").Ok("docker run -d").Output;
        var pid = daemon.Docker("inspect", "-f", "{{.State.Pid}}", id).Ok("docker inspect").Output;

        Commands.Run("kill", ["-TERM", daemon.Pid.ToString()]).Ok("kill -TERM");

        Assert.Equal(0, daemon.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.True(Directory.Exists($"/proc/{pid}"), "the container's process ended with the daemon");
        Assert.False(File.Exists(Path.Combine(daemon.Directory, "berthd.pid")), "the pidfile outlived a clean stop");
        daemon.Restart();
        Assert.Equal($"running {pid}", daemon.Docker("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", id).Ok("docker inspect").Output);
    }

    [SocketActivationFact]
    public void Systemd_socket_activation_hands_berthd_its_listening_socket_as_fd()
    {
        var dir = Directory.CreateTempSubdirectory("berthd-activate-").FullName;
        var socket = Path.Combine(dir, "berth.sock");
        var bridge = new TestBridge();
        var config = Path.Combine(dir, "daemon.json");
        File.WriteAllText(config, "{}");
        var info = new ProcessStartInfo(SocketActivationFactAttribute.Activator) { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments = ["-l", socket, "-E", $"BERTH_BIN={RepoPaths.Bin}", RepoPaths.Daemon, "-H", "fd://", "--data-root", Path.Combine(dir, "data"),
            "--exec-root", Path.Combine(dir, "exec"), "--pidfile", Path.Combine(dir, "berthd.pid"), "--config-file", config, .. bridge.Arguments];
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        using var activator = Process.Start(info)!;
        var stderr = activator.StandardError.ReadToEndAsync();
        try
        {
            for (var i = 0; i < 100 && !File.Exists(socket); i++) Thread.Sleep(50);
            Assert.True(File.Exists(socket), "systemd-socket-activate did not listen");
            Assert.False(File.Exists(Path.Combine(dir, "berthd.pid")), "berthd started before the first connection");

            // The first connection starts berthd (systemd-socket-activate execs it with LISTEN_FDS=1), which answers it.
            var version = Commands.Run("docker", ["-H", "unix://" + socket, "version", "--format", "{{.Server.APIVersion}}"]).Ok("docker version");
            Assert.Equal("1.44", version.Output);
            Assert.Equal(activator.Id.ToString(), File.ReadAllText(Path.Combine(dir, "berthd.pid")));
            Assert.Equal("1.44", Commands.Run("docker", ["-H", "unix://" + socket, "version", "--format", "{{.Server.APIVersion}}"]).Ok("again").Output);

            // A container's shim must not inherit systemd's listening socket (it would outlive the daemon with it).
            var tar = Path.Combine(dir, "busybox.tar");
            Commands.Run("tar", ["-C", RepoPaths.BusyboxRootfs, "-cf", tar, "."]).Ok("tar");
            Commands.Run("docker", ["-H", "unix://" + socket, "import", tar, "busybox:latest"]).Ok("docker import");
            var id = Commands.Run("docker", ["-H", "unix://" + socket, "run", "-d", "busybox", "sleep", "60"]).Ok("docker run -d").Output;
            var listening = new FileInfo($"/proc/{activator.Id}/fd/3").LinkTarget;
            var shims = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsAsciiDigit))
                .Where(p => ShimOf(p!, activator.Id)).ToList();
            Assert.NotEmpty(shims);
            foreach (var shim in shims)
                Assert.DoesNotContain(listening, Directory.EnumerateFileSystemEntries($"/proc/{shim}/fd").Select(fd => new FileInfo(fd).LinkTarget));
            Commands.Run("docker", ["-H", "unix://" + socket, "rm", "-f", id]).Ok("docker rm -f");
        }
        finally
        {
            Commands.Run("kill", ["-TERM", activator.Id.ToString()]);
            if (!activator.WaitForExit(30_000)) activator.Kill();
            bridge.Remove();
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A privileged test that needs systemd's <c>systemd-socket-activate</c>; skipped, with the reason, where it is absent.</summary>
public sealed class SocketActivationFactAttribute : FactAttribute
{
    public const string Activator = "/usr/bin/systemd-socket-activate";

    public SocketActivationFactAttribute()
    {
        if (!Privileges.IsRoot && !Privileges.IsCi) Skip = "needs root (runs, and fails without it, when CI=true)";
        else if (!File.Exists(Activator)) Skip = $"{Activator} is not installed (Debian's systemd package has it)";
    }
}
