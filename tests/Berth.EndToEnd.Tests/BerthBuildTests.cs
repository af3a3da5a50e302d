using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary><c>berth build</c> against berthd: a directory context with its .dockerignore, -q and --iidfile, a Dockerfile on stdin, a failing step.</summary>
public sealed class BerthBuildTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly string _context = Directory.CreateTempSubdirectory("berth-cli-build-").FullName;

    public BerthBuildTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        Assert.True(File.Exists(RepoPaths.Cli), $"{RepoPaths.Cli} is missing: run scripts/build.sh first");
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_context, recursive: true);

    private CommandResult Berth(params string[] args) => _daemon.Berth(args);

    private void Write(string name, string text)
    {
        var path = Path.Combine(_context, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [PrivilegedFact]
    public void Builds_a_directory_with_its_dockerignore_and_writes_the_image_id()
    {
        Write("Dockerfile", "FROM busybox\nCOPY . /app/\nRUN ls -a /app | sort | tr '\\n' ' ' > /listing\nCMD [\"cat\", \"/listing\"]\n");
        Write(".dockerignore", "secret\nlogs\n!logs/keep.log\n");
        Write("app.txt", "app\n");
        Write("secret", "do not send\n");
        Write("logs/debug.log", "noise\n");
        Write("logs/keep.log", "kept\n");
        var iidfile = Path.Combine(_context, "..", $"iid-{Guid.NewGuid():N}");
        try
        {
            var build = Berth("build", "-t", "berth-cli-built:1", "--iidfile", iidfile, _context).Ok("berth build");
            Assert.StartsWith("Sending build context to Docker daemon", build.Stdout);
            Assert.Contains("Step 1/4 : FROM busybox", build.Stdout);
            Assert.Contains("Successfully tagged berth-cli-built:1", build.Stdout);
            Assert.Matches("^sha256:[0-9a-f]{64}$", File.ReadAllText(iidfile));

            Assert.Equal(". .. .dockerignore Dockerfile app.txt logs", Berth("run", "--rm", "berth-cli-built:1").Ok("run").Output.Trim());
            Assert.Equal("kept", Berth("run", "--rm", "berth-cli-built:1", "cat", "/app/logs/keep.log").Ok("run").Output);

            var quiet = Berth("build", "-q", _context).Ok("quiet rebuild");
            Assert.Equal(File.ReadAllText(iidfile), quiet.Output);
        }
        finally
        {
            File.Delete(iidfile);
            Berth("rmi", "berth-cli-built:1");
        }
    }

    [PrivilegedFact]
    public void Builds_a_dockerfile_from_stdin_and_fails_with_the_steps_exit_code()
    {
        var built = _daemon.BerthWithInput("FROM busybox\nRUN echo from-stdin > /f\n", "build", "-q", "-").Ok("berth build -");
        Assert.Matches("^sha256:[0-9a-f]{64}$", built.Output);
        Berth("rmi", built.Output);

        var failed = _daemon.BerthWithInput("FROM busybox\nRUN exit 3\n", "build", "-");
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("returned a non-zero code: 3", failed.Stderr);
    }
}
