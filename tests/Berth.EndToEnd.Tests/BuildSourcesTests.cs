using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// What a build may take beyond its context, with the docker CLI's legacy builder: <c>RUN --mount=type=bind,from=</c> a
/// stage or an image, and <c>--cache-from</c> images whose history serves as cache when the local step images are gone.
/// </summary>
public sealed class BuildSourcesTests : IClassFixture<DaemonProcess>, IDisposable
{
    private static readonly Dictionary<string, string> Legacy = new() { ["DOCKER_BUILDKIT"] = "0" };
    private readonly DaemonProcess _daemon;
    private readonly string _context = Directory.CreateTempSubdirectory("berth-build-sources-").FullName;

    public BuildSourcesTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_context, recursive: true);

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private CommandResult Build(params string[] args) =>
        Commands.Run("docker", ["-H", _daemon.Host, "build", .. args], timeoutSeconds: 120, environment: Legacy);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_context, name), text);

    private static int Count(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    private string Cat(string image, string path) => Docker("run", "--rm", image, "cat", path).Ok("cat " + path).Output;

    [PrivilegedFact]
    public void Run_mounts_a_stage_or_an_image_read_only_or_with_its_writes_discarded_and_reruns_when_the_stage_changes()
    {
        Write("Dockerfile", """
            FROM busybox AS tools
            ARG V=1
            RUN mkdir -p /opt/tool && echo tool-v$V > /opt/tool/version
            FROM busybox
            RUN --mount=type=bind,from=tools,source=/opt/tool,target=/mnt cat /mnt/version > /seen
            RUN --mount=type=bind,from=tools,target=/t,rw echo scribbled > /t/opt/tool/version && cat /t/opt/tool/version > /rw-seen
            RUN --mount=type=bind,from=tools,source=opt/tool,target=/again cat /again/version > /again-seen
            RUN --mount=type=bind,from=tools,target=/ro touch /ro/x 2>/dev/null && echo written > /ro-result || echo refused > /ro-result
            RUN --mount=type=bind,from=busybox,source=/bin,target=/b ls /b/busybox > /from-image
            """);

        Build("-t", "built:bind-from", _context).Ok("build");
        Assert.Equal("tool-v1", Cat("built:bind-from", "/seen"));
        Assert.Equal("scribbled", Cat("built:bind-from", "/rw-seen"));
        Assert.Equal("tool-v1", Cat("built:bind-from", "/again-seen")); // the rw mount's write went nowhere
        Assert.Equal("refused", Cat("built:bind-from", "/ro-result"));
        Assert.Equal("/b/busybox", Cat("built:bind-from", "/from-image"));
        Assert.DoesNotContain("Running in", Build("-t", "built:bind-from", _context).Ok("rebuild").Stdout);

        var changed = Build("--build-arg", "V=2", "-t", "built:bind-from", _context).Ok("rebuild with another tool");
        Assert.Equal(6, Count(changed.Stdout, "Running in")); // the tools stage's RUN, then every step that mounts it
        Assert.Equal("tool-v2", Cat("built:bind-from", "/seen"));

        var builder = Path.Combine(_daemon.DataRoot, "builder", "contexts");
        Assert.Empty(Directory.EnumerateDirectories(builder));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Split(' ')[4].StartsWith(builder, StringComparison.Ordinal));

        Write("Dockerfile", "FROM busybox AS tools\nFROM busybox\nRUN --mount=type=bind,from=tools,source=/nosuch,target=/mnt true\n");
        var missing = Build(_context);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("RUN --mount=type=bind,from=tools: source \"/nosuch\": not found", missing.Stderr);
        Assert.Empty(Directory.EnumerateDirectories(builder));
    }

    [PrivilegedFact]
    public void Cache_from_an_image_reuses_its_history_once_its_step_images_are_gone()
    {
        Write("Dockerfile", """
            FROM busybox
            ARG V=1
            RUN echo built-$V-$RANDOM > /built
            COPY file.txt /file.txt
            ENV A=b
            CMD ["cat", "/built"]
            """);
        Write("file.txt", "copied\n");
        var archive = Path.Combine(_context, "..", $"cache-from-{Guid.NewGuid():N}.tar");
        try
        {
            Build("-t", "cache-from:src", _context).Ok("first build");
            var id = Docker("image", "inspect", "-f", "{{.Id}}", "cache-from:src").Ok("id").Output;
            var built = Docker("run", "--rm", "cache-from:src").Ok("run").Output;
            Docker("save", "-o", archive, "cache-from:src").Ok("save");
            Docker("rmi", "cache-from:src").Ok("rmi: the image and its step images");
            Docker("load", "-i", archive).Ok("load: the image alone, without its step images");

            var plain = Build("-t", "cache-from:plain", _context).Ok("rebuild without --cache-from");
            Assert.Contains("Running in", plain.Stdout);
            Docker("rmi", "cache-from:plain").Ok("rmi plain");

            var cached = Build("--cache-from", "cache-from:src", "-t", "cache-from:again", _context).Ok("rebuild with --cache-from");
            Assert.Equal(5, Count(cached.Stdout, "Using cache"));
            Assert.DoesNotContain("Running in", cached.Stdout);
            Assert.Equal(id, Docker("image", "inspect", "-f", "{{.Id}}", "cache-from:again").Ok("id again").Output);
            Assert.Equal(built, Docker("run", "--rm", "cache-from:again").Ok("run again").Output);

            // As moby's classic builder: with --cache-from, only those images' chains count; a missing one gives no cache.
            Assert.Contains("Running in", Build("--cache-from", "cache-from:nosuch", _context).Ok("rebuild from a missing image").Stdout);
        }
        finally
        {
            File.Delete(archive);
            Docker("rmi", "cache-from:src", "cache-from:again");
        }
    }
}
