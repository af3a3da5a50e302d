using System.Diagnostics;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

/// <summary>
/// <c>save -o</c> and <c>export -o</c> check the path as docker does before asking the daemon: the archive is renamed
/// over the path, so anything there but a regular file (a FIFO, a device, a socket, a link, a directory) is refused
/// and left as it was.
/// </summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Fifo()
    {
        var path = _dir.Combine("fifo");
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        return path;
    }

    [Theory]
    [InlineData("save", "failed to save image")]
    [InlineData("export", "failed to export container")]
    public async Task What_is_not_a_regular_file_is_refused_and_left_alone(string command, string failure)
    {
        var fifo = Fifo();
        var link = _dir.Combine("link");
        File.CreateSymbolicLink(link, _dir.Combine("elsewhere"));
        var file = _dir.Combine("file");
        File.WriteAllText(file, "x");
        (string Path, string Reason)[] cases =
        [
            (fifo, "cannot write to a named pipe (FIFO)"),
            (link, "cannot write to a symbolic link directly"),
            (_dir.Path, "cannot write to a directory"),
            (_dir.Combine("missing", "out.tar"), $"invalid output path: stat {_dir.Combine("missing")}: no such file or directory"),
            (Path.Combine(file, "out.tar"), $"invalid output path: stat {file}: not a directory"),
        ];
        foreach (var (path, reason) in cases)
        {
            var cli = new TestCli();
            Assert.Equal(1, await cli.RunAsync(command, "-o", path, "x"));
            Assert.Equal($"{failure}: {reason}\n", cli.Stderr);
            Assert.Empty(cli.Client.Calls);
        }
        using (var test = Process.Start("test", ["-p", fifo]))
        {
            test.WaitForExit();
            Assert.Equal(0, test.ExitCode);
        }
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(["fifo", "file", "link"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_regular_file_is_replaced()
    {
        var file = _dir.Combine("out.tar");
        File.WriteAllText(file, "old");
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("save", "-o", file, "busybox"));
        Assert.Equal("tar-bytes", File.ReadAllText(file));
    }
}
