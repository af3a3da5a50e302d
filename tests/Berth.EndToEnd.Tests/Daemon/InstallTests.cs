using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>
/// scripts/install.sh and uninstall.sh, run into a scratch root (<c>DESTDIR</c>) so the machine is left alone: every
/// file lands where the units expect it, a second run changes nothing it should keep, and uninstall leaves nothing.
/// </summary>
public sealed class InstallTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-install-").FullName;

    public InstallTests() => Privileges.RequireRoot();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CommandResult Script(string name) =>
        Commands.Run(Path.Combine(RepoPaths.Root, "scripts", name), [], environment: new Dictionary<string, string> { ["DESTDIR"] = _root });

    [PrivilegedFact]
    public void Install_is_idempotent_and_uninstall_removes_everything()
    {
        Script("install.sh").Ok("install.sh");
        foreach (var binary in new[] { "berthd", "berth", "berth-shim", "berth-runtime", "berth-registry" })
            Assert.True(File.Exists(Path.Combine(_root, "usr/local/bin", binary)), binary);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_root, "etc/berth/daemon.json")).Trim());
        Assert.Contains(File.ReadAllLines(Path.Combine(_root, "etc/group")), l => l.StartsWith("berth:", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts/systemd/berthd.socket")),
            File.ReadAllText(Path.Combine(_root, "etc/systemd/system/berthd.socket")));

        File.WriteAllText(Path.Combine(_root, "etc/berth/daemon.json"), """{"debug": true}""");
        Script("install.sh").Ok("install.sh, again");
        Assert.Equal("""{"debug": true}""", File.ReadAllText(Path.Combine(_root, "etc/berth/daemon.json")));
        Assert.Single(File.ReadAllLines(Path.Combine(_root, "etc/group")), l => l.StartsWith("berth:", StringComparison.Ordinal));

        Script("uninstall.sh").Ok("uninstall.sh");
        Script("uninstall.sh").Ok("uninstall.sh, again");
        var left = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f))
            .Where(f => !f.StartsWith("etc/group", StringComparison.Ordinal) && !f.StartsWith("etc/gshadow", StringComparison.Ordinal)).ToList();
        Assert.Empty(left);
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(_root, "etc/group")), l => l.StartsWith("berth:", StringComparison.Ordinal));
    }

    [PrivilegedFact]
    public void The_units_pass_systemd_analyze_verify()
    {
        const string analyze = "/usr/bin/systemd-analyze";
        Assert.True(File.Exists(analyze), $"{analyze} is missing (Debian's systemd package has it)");
        // The units as installed, with ExecStart pointing at the berthd this build made (verify checks it is executable).
        foreach (var unit in new[] { "berthd.service", "berthd.socket" })
            File.WriteAllText(Path.Combine(_root, unit),
                File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts/systemd", unit)).Replace("/usr/local/bin/berthd", RepoPaths.Daemon));
        var result = Commands.Run(analyze, ["verify", Path.Combine(_root, "berthd.socket"), Path.Combine(_root, "berthd.service")]);
        Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0, result.Stderr + result.Stdout);
    }
}
