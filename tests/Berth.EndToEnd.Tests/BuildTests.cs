using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Builds with the real docker CLI's legacy builder (<c>DOCKER_BUILDKIT=0</c>) against berthd: multi-stage Dockerfiles,
/// the cache across rebuilds and prunes, build args, heredocs, .dockerignore, Docker's errors and exit codes, and
/// nothing left behind by a failed step. Also commit.
/// </summary>
public sealed class BuildTests : IClassFixture<DaemonProcess>, IDisposable
{
    private static readonly Dictionary<string, string> Legacy = new() { ["DOCKER_BUILDKIT"] = "0" };
    private readonly DaemonProcess _daemon;
    private readonly string _context = Directory.CreateTempSubdirectory("berth-build-").FullName;

    public BuildTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_context, recursive: true);

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private CommandResult Build(params string[] args) =>
        Commands.Run("docker", ["-H", _daemon.Host, "build", .. args], timeoutSeconds: 120, environment: Legacy);

    private void Write(string name, string text)
    {
        var path = Path.Combine(_context, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static int Count(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    [PrivilegedFact]
    public void A_multi_stage_build_runs_caches_and_rebuilds_from_the_changed_copy_only()
    {
        Write("Dockerfile", """
            FROM busybox AS builder
            ARG GREETING=hello
            WORKDIR /src
            COPY input.txt .
            RUN echo "$GREETING $(cat input.txt)" > out.txt
            FROM busybox
            COPY --from=builder /src/out.txt /app/out.txt
            COPY static/ /app/static/
            CMD ["cat", "/app/out.txt"]
            """);
        Write("input.txt", "one\n");
        Write("static/page.html", "<p>page</p>\n");

        var first = Build("-t", "built:multi", _context).Ok("first build");
        Assert.Contains("Step 1/9 : FROM busybox AS builder", first.Stdout);
        Assert.Contains(" ---> Running in ", first.Stdout);
        Assert.Matches(@"Successfully built [0-9a-f]{12}\n", first.Stdout);
        Assert.Contains("Successfully tagged built:multi", first.Stdout);
        Assert.Equal("hello one", Docker("run", "--rm", "built:multi").Ok("run").Output);

        var again = Build("-t", "built:multi", _context).Ok("rebuild");
        Assert.Equal(7, Count(again.Stdout, "Using cache")); // every step but the two FROMs
        Assert.DoesNotContain("Running in", again.Stdout);

        Write("static/page.html", "<p>changed</p>\n");
        var changed = Build("-t", "built:multi", _context).Ok("rebuild after a change");
        var lines = changed.Stdout.Split('\n');
        var copyStep = Array.FindIndex(lines, l => l.StartsWith("Step 8/9 : COPY static/", StringComparison.Ordinal));
        Assert.Equal(5, Count(string.Join('\n', lines[..copyStep]), "Using cache")); // ARG WORKDIR COPY RUN, COPY --from
        Assert.DoesNotContain("Using cache", string.Join('\n', lines[copyStep..]));
        Assert.Equal("<p>changed</p>", Docker("run", "--rm", "built:multi", "cat", "/app/static/page.html").Ok("changed file").Output);

        var args = Build("--build-arg", "GREETING=bonjour", "-t", "built:args", _context).Ok("build arg");
        Assert.Contains("Running in", args.Stdout);
        Assert.Equal("bonjour one", Docker("run", "--rm", "built:args").Ok("run args").Output);
    }

    [PrivilegedFact]
    public void The_cache_outlives_a_prune_of_dangling_images_and_intermediate_images_stay_hidden()
    {
        Write("Dockerfile", "FROM busybox\nRUN echo cached > /c\nENV A=1\n");
        Build("-t", "built:prune", _context).Ok("build");
        var step = Docker("image", "inspect", "-f", "{{.Parent}}", "built:prune").Ok("parent").Output["sha256:".Length..][..12];
        Assert.DoesNotContain(step, Docker("images", "-q").Ok("images").Output);
        Assert.Contains(step, Docker("images", "-aq").Ok("images -a").Output);

        Docker("image", "prune", "-f").Ok("prune");
        var again = Build("-t", "built:prune", _context).Ok("rebuild");
        Assert.Equal(2, Count(again.Stdout, "Using cache"));

        var rmi = Docker("rmi", "built:prune").Ok("rmi");
        Assert.True(Count(rmi.Stdout, "Deleted:") >= 3, rmi.Stdout); // the image, then its two step images
    }

    [PrivilegedFact]
    public void Independent_stages_build_at_once_and_print_in_order()
    {
        // Each stage waits (bounded) for the other's mark in a shared cache mount: built one after the other, the first would give up.
        var id = Guid.NewGuid().ToString("N");
        string Wait(string mine, string theirs) =>
            $"RUN --mount=type=cache,target=/c,id={id} touch /c/{mine}; i=0; while [ ! -e /c/{theirs} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; [ -e /c/{theirs} ] && echo {mine} > /{mine}";
        Write("Dockerfile", $"""
            FROM busybox AS left
            {Wait("left", "right")}
            FROM busybox AS right
            {Wait("right", "left")}
            FROM busybox
            COPY --from=left /left /left
            COPY --from=right /right /right
            """);

        var built = Build("--no-cache", "-t", "built:parallel", _context).Ok("parallel build");

        var steps = built.Stdout.Split('\n').Where(l => l.StartsWith("Step ", StringComparison.Ordinal)).Select(l => l.Split('/')[0]).ToList();
        Assert.Equal(["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6", "Step 7"], steps);
        Assert.Equal("left right", Docker("run", "--rm", "built:parallel", "sh", "-c", "echo $(cat /left /right)").Ok("run").Output);
    }

    [PrivilegedFact]
    public void A_failing_run_stops_the_build_with_its_code_and_leaves_no_container_and_no_tag()
    {
        Write("Dockerfile", "FROM busybox\nRUN echo to-out; echo to-err >&2; exit 3\n");
        var before = Docker("ps", "-aq").Ok("ps").Output;

        var failed = Build("-t", "built:failed", _context);

        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("to-out", failed.Stdout);
        Assert.Contains("The command '/bin/sh -c echo to-out; echo to-err >&2; exit 3' returned a non-zero code: 3", failed.Stderr);
        Assert.Equal(before, Docker("ps", "-aq").Ok("ps after").Output);
        Assert.NotEqual(0, Docker("image", "inspect", "built:failed").ExitCode);
    }

    [PrivilegedFact]
    public void Bad_dockerfiles_get_docker_errors()
    {
        Write("Dockerfile", "FROM busybox\nFOO bar\n");
        var unknown = Build(_context);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("dockerfile parse error on line 2: unknown instruction: FOO", unknown.Stderr);

        Write("Dockerfile", "FROM busybox\nCOPY nosuch /x\n");
        Assert.Contains("COPY failed: file not found in build context or excluded by .dockerignore: stat nosuch: file does not exist",
            Build(_context).Stderr);

        Write("Dockerfile", "FROM busybox AS a\n");
        Assert.Contains("failed to reach build target nosuch in Dockerfile", Build("--target", "nosuch", _context).Stderr);
    }

    [PrivilegedFact]
    public void Dockerignore_heredocs_and_a_dockerfile_on_stdin()
    {
        Write(".dockerignore", "secret*\n!secret-ok\n");
        Write("secret.key", "no\n");
        Write("secret-ok", "yes\n");
        Write("Dockerfile", """
            FROM busybox
            COPY . /ctx/
            COPY <<EOF /ctx/inline.txt
            inline text
            EOF
            RUN <<EOS
            set -e
            ls /ctx | sort > /listing
            EOS
            """);
        Build("-t", "built:ignore", _context).Ok("build");
        var listing = Docker("run", "--rm", "built:ignore", "cat", "/listing").Ok("listing").Output.Split('\n');
        Assert.Contains("secret-ok", listing);
        Assert.Contains("inline.txt", listing);
        Assert.DoesNotContain("secret.key", listing);
        Assert.Equal("inline text", Docker("run", "--rm", "built:ignore", "cat", "/ctx/inline.txt").Ok("inline").Output);

        var stdin = Commands.Run("docker", ["-H", _daemon.Host, "build", "-q", "-t", "built:stdin", "-"], "FROM busybox\nLABEL from=stdin\n", environment: Legacy);
        Assert.Matches("^sha256:[0-9a-f]{64}$", stdin.Ok("stdin build").Output);
        Assert.Equal("stdin", Docker("image", "inspect", "-f", "{{.Config.Labels.from}}", "built:stdin").Ok("label").Output);
    }

    [PrivilegedFact]
    public void Add_unpacks_an_xz_archive_and_rm_false_keeps_each_step_container_with_its_layer()
    {
        Write("payload/inside.txt", "packed\n");
        Commands.Run("tar", ["-C", _context, "-cJf", Path.Combine(_context, "files.tar.xz"), "payload"]).Ok("tar -cJf");
        Write("Dockerfile", "FROM busybox\nADD files.tar.xz /unpacked/\nRUN echo kept > /kept\n");
        var before = Docker("ps", "-aq", "--no-trunc").Ok("ps").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Build("--no-cache", "--rm=false", "-t", "built:xz", _context).Ok("build");

        Assert.Equal("packed", Docker("run", "--rm", "built:xz", "cat", "/unpacked/payload/inside.txt").Ok("unpacked").Output);
        var step = Docker("ps", "-aq", "--no-trunc").Ok("ps after").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Except(before).Single();
        try
        {
            Assert.Contains("A /kept", Docker("diff", step).Ok("diff of the kept step container").Output);
        }
        finally
        {
            Docker("rm", "-f", step);
        }
    }

    [PrivilegedFact]
    public void A_daemon_killed_during_a_build_leaves_no_build_directory_or_mount_and_the_next_build_works()
    {
        Write("Dockerfile", "FROM busybox\nCOPY . /ctx/\nRUN sleep 30\n");
        using var build = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", ["-H", _daemon.Host, "build", "--no-cache", _context])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOCKER_BUILDKIT"] = "0" },
        })!;
        var builder = Path.Combine(_daemon.DataRoot, "builder", "contexts");
        Wait.Until(() => Docker("ps", "-q", "--filter", "status=running").Output.Length > 0, "the RUN step runs");

        _daemon.Restart();
        build.WaitForExit(10_000);

        Assert.Empty(Directory.EnumerateDirectories(builder));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Split(' ')[4].StartsWith(builder, StringComparison.Ordinal));
        Write("Dockerfile", "FROM busybox\nCOPY . /ctx/\n");
        Build(_context).Ok("build after the crash");
        foreach (var id in Docker("ps", "-aq", "--filter", "status=running").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Docker("rm", "-f", id);
    }

    [PrivilegedFact]
    public void Commit_makes_an_image_of_a_containers_changes_with_its_changes()
    {
        var name = "commit-src-" + Guid.NewGuid().ToString("N")[..8];
        Docker("run", "--name", name, "busybox", "sh", "-c", "echo committed > /file").Ok("run");
        try
        {
            var id = Docker("commit", "-m", "a message", "-c", "CMD [\"cat\", \"/file\"]", name, "committed:1").Ok("commit").Output;
            Assert.Matches("^sha256:[0-9a-f]{64}$", id);
            Assert.Equal("committed", Docker("run", "--rm", "committed:1").Ok("run committed").Output);
            Assert.Equal("a message", Docker("image", "inspect", "-f", "{{.Comment}}", "committed:1").Ok("inspect").Output);
            Assert.StartsWith("sha256:", Docker("image", "inspect", "-f", "{{.Parent}}", "committed:1").Ok("parent").Output);
        }
        finally
        {
            Docker("rm", "-f", name);
        }
    }
}
