using Berth.Runtime.Init;
using Berth.Runtime.Stages;

namespace Berth.Runtime.Tests.Lifecycle;

public sealed class ExecutableLookupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-lookup-").FullName;

    private string MakeFile(string name, UnixFileMode mode)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void Finds_the_first_executable_on_the_containers_PATH()
    {
        MakeFile("tool", UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(Path.Combine(_dir, "tool"), ExecutableLookup.Resolve("tool", ["PATH=/nonexistent:" + _dir]));
    }

    [Fact]
    public void A_missing_program_gets_runcs_message()
    {
        var e = Assert.Throws<StageFailedException>(() => ExecutableLookup.Resolve("nosuch", ["PATH=" + _dir]));
        Assert.Equal("exec: \"nosuch\": executable file not found in $PATH", e.Message);
    }

    [Fact]
    public void A_path_with_a_slash_is_used_as_is_or_named_in_the_error()
    {
        var tool = MakeFile("tool", UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(tool, ExecutableLookup.Resolve(tool, null));
        var e = Assert.Throws<StageFailedException>(() => ExecutableLookup.Resolve(_dir + "/missing", null));
        Assert.Equal($"exec: \"{_dir}/missing\": stat {_dir}/missing: no such file or directory", e.Message);
    }

    [Fact]
    public void Directories_are_not_programs()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        Assert.Throws<StageFailedException>(() => ExecutableLookup.Resolve("sub", ["PATH=" + _dir]));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
