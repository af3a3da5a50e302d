using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>
/// The runc command line berth-shim speaks to other runtimes, against a fake runtime (a script that records its
/// arguments and answers as runc does): global flags, answers read from stdout, errors from the JSON log.
/// </summary>
public sealed class CommandLineRuntimeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-clr-").FullName;
    private string Root => Path.Combine(_dir, "root");
    private string Log => Path.Combine(_dir, "log.json");
    private string Calls => Path.Combine(_dir, "calls");

    public CommandLineRuntimeTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "c1"));
        var script = Path.Combine(_dir, "fakerun");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            echo "$*" >> {{Calls}}
            while [ "${1#--}" != "$1" ]; do shift 2; done
            case "$1" in
              state) echo '{"ociVersion":"1.0.2","id":"c1","status":"paused","pid":42,"bundle":"/b"}' ;;
              ps) echo '[42,43]' ;;
              kill) echo '{"level":"info","msg":"killing"}' >> {{Log}}
                    echo '{"level":"error","msg":"container not running"}' >> {{Log}}; exit 1 ;;
              pause) echo "pause: no such thing" >&2; exit 2 ;;
            esac
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Runtime = new CommandLineRuntime(script, Root, Log);
    }

    private CommandLineRuntime Runtime { get; }

    [Fact]
    public void Every_call_names_the_root_and_the_json_log_and_reads_answers_from_stdout()
    {
        Assert.Equal("paused", Runtime.Status("c1"));
        Assert.Equal([42, 43], Runtime.Pids("c1"));
        Runtime.Start("c1");
        Assert.Equal(
        [
            $"--root {Root} --log {Log} --log-format json state c1",
            $"--root {Root} --log {Log} --log-format json ps --format json c1",
            $"--root {Root} --log {Log} --log-format json start c1",
        ], File.ReadAllLines(Calls));
    }

    [Fact]
    public void Errors_are_the_runtimes_own_words_from_its_log_or_what_it_printed()
    {
        Assert.Equal("container not running", Assert.Throws<RuntimeException>(() => Runtime.Kill("c1", 9, all: true)).Message);
        Assert.EndsWith("kill --all c1 9", File.ReadAllLines(Calls).Last());
        Assert.Equal("pause: no such thing", Assert.Throws<RuntimeException>(() => Runtime.Pause("c1")).Message);
    }

    [Fact]
    public void Delete_of_a_container_the_runtime_does_not_know_is_a_no_op()
    {
        Runtime.Delete("gone", force: true);
        Assert.False(File.Exists(Calls));
        Runtime.Delete("c1", force: true);
        Assert.EndsWith("delete --force c1", File.ReadAllLines(Calls).Single());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
