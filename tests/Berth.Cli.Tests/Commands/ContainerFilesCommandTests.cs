using System.Formats.Tar;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class ContainerFilesCommandTests : IDisposable
{
    private const uint GoDir = 1u << 31;
    private readonly string _local = Directory.CreateTempSubdirectory("berth-cli-cp-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    private static byte[] Tar(params (string Name, string? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in entries)
                writer.WriteEntry(content is null
                    ? new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED }
                    : new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream(global::System.Text.Encoding.UTF8.GetBytes(content)) });
        return buffer.ToArray();
    }

    private static List<string> Names(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    [Fact]
    public async Task Diff_prints_one_kind_letter_and_path_per_change()
    {
        var cli = new TestCli();
        cli.Client.Changes["web"] = [new() { Path = "/etc", Kind = 0 }, new() { Path = "/etc/new", Kind = 1 }, new() { Path = "/etc/old", Kind = 2 }];
        Assert.Equal(0, await cli.RunAsync("diff", "web"));
        Assert.Equal("C /etc\nA /etc/new\nD /etc/old\n", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("container", "diff", "web"));
        Assert.Equal("C /etc\nA /etc/new\nD /etc/old\n", cli.Stdout);
    }

    [Fact]
    public async Task Export_refuses_a_terminal_and_writes_a_file_with_o()
    {
        var cli = new TestCli();
        cli.Terminal.IsStdoutTerminal = true;
        Assert.Equal(1, await cli.RunAsync("export", "web"));
        Assert.Contains("cowardly refusing to save to a terminal. Use the -o flag or redirect", cli.Stderr);
        Assert.Equal(0, await cli.RunAsync("container", "export", "-o", Path.Combine(_local, "out.tar"), "web"));
        Assert.Equal("export-bytes", File.ReadAllText(Path.Combine(_local, "out.tar")));
    }

    [Fact]
    public async Task Cp_from_a_container_extracts_into_a_directory_or_renames_to_a_new_path_and_reports_the_size()
    {
        var cli = new TestCli();
        var tar = Tar(("hosts", "127.0.0.1 localhost\n"));
        cli.Client.ContainerFiles["web:/etc/hosts"] = (new ContainerPathStat { Name = "hosts", Size = 20, Mode = 0x1A4 }, tar);
        cli.Terminal.IsStdoutTerminal = true;

        Assert.Equal(0, await cli.RunAsync("cp", "web:/etc/hosts", _local));
        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(_local, "hosts")));
        Assert.Equal($"Successfully copied {HumanUnits.Size(tar.Length, 3)} to {_local}\n", cli.Stderr);

        Assert.Equal(0, await cli.RunAsync("cp", "-q", "web:/etc/hosts", Path.Combine(_local, "renamed")));
        Assert.Equal("127.0.0.1 localhost\n", File.ReadAllText(Path.Combine(_local, "renamed")));
        Assert.Equal("", cli.Stderr);
    }

    [Fact]
    public async Task Cp_of_a_directory_with_a_trailing_dot_copies_its_contents()
    {
        var cli = new TestCli();
        cli.Client.ContainerFiles["web:/app/."] = (new ContainerPathStat { Name = ".", Mode = GoDir | 0x1ED }, Tar(("./", null), ("./a", "a"), ("./sub/", null), ("./sub/b", "b")));
        Assert.Equal(0, await cli.RunAsync("cp", "web:/app/.", Path.Combine(_local, "new")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(_local, "new/sub/b")));
        Assert.Equal("a", File.ReadAllText(Path.Combine(_local, "new/a")));
    }

    [Fact]
    public async Task Cp_to_a_container_names_the_tar_for_where_it_lands()
    {
        var cli = new TestCli();
        File.WriteAllText(Path.Combine(_local, "hello.txt"), "hi");
        cli.Client.ContainerFiles["web:/tmp"] = (new ContainerPathStat { Name = "tmp", Mode = GoDir | 0x3FF }, []);

        Assert.Equal(0, await cli.RunAsync("cp", "-a", Path.Combine(_local, "hello.txt"), "web:/tmp"));
        var into = cli.Client.CopiedIn.Single();
        Assert.Equal(("web", "/tmp", true, true), (into.Container, into.Path, into.NoOverwriteDirNonDir, into.CopyUidGid));
        Assert.Equal(["hello.txt"], Names(into.Tar));

        Assert.Equal(0, await cli.RunAsync("cp", Path.Combine(_local, "hello.txt"), "web:/tmp/renamed"));
        var renamed = cli.Client.CopiedIn[1];
        Assert.Equal(("/tmp", false), (renamed.Path, renamed.CopyUidGid));
        Assert.Equal(["renamed"], Names(renamed.Tar));
    }

    [Fact]
    public async Task Cp_reads_a_tar_on_stdin_into_a_directory_only()
    {
        var cli = new TestCli();
        cli.Client.ContainerFiles["web:/tmp"] = (new ContainerPathStat { Name = "tmp", Mode = GoDir | 0x3FF }, []);
        cli.Stdin = new MemoryStream(Tar(("x", "x")));
        Assert.Equal(0, await cli.RunAsync("cp", "-", "web:/tmp"));
        Assert.Equal(["x"], Names(cli.Client.CopiedIn.Single().Tar));

        Assert.Equal(1, await cli.RunAsync("cp", "-", "web:/missing"));
        Assert.Contains("destination \"web:/missing\" must be a directory", cli.Stderr);
    }

    [Theory]
    [InlineData("a", "b", "must specify at least one container source")]
    [InlineData("c1:/a", "c2:/b", "copying between containers is not supported")]
    public async Task Cp_needs_exactly_one_container_side(string source, string destination, string error)
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("cp", source, destination));
        Assert.Contains(error, cli.Stderr);
    }
}
