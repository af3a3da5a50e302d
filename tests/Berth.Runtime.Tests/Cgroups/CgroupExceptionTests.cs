using Berth.Linux;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupExceptionTests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    [Fact]
    public void A_refused_write_names_the_file_the_value_and_the_errno()
    {
        var dir = _fs.Seed("memory/berth/x", ("memory.limit_in_bytes", ""));
        _fs.FailWrites("memory.limit_in_bytes", Errno.EBUSY);

        var error = Assert.Throws<CgroupException>(() => dir.Write("memory.limit_in_bytes", "1024"));

        Assert.Equal($"write {dir.Path}/memory.limit_in_bytes \"1024\": Device or resource busy", error.Message);
        Assert.Equal(Errno.EBUSY, error.Errno);
        Assert.Equal("1024", error.Value);
        Assert.Equal(dir.FileOf("memory.limit_in_bytes"), error.FilePath);
    }

    [Fact]
    public void The_host_file_system_never_creates_a_control_file()
    {
        var dir = _fs.Dir();

        var error = Assert.Throws<CgroupException>(() => dir.Write("pids.max", "5"));

        Assert.Equal($"write {dir.Path}/pids.max \"5\": No such file or directory", error.Message);
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.False(File.Exists(dir.FileOf("pids.max")));
    }

    [Fact]
    public void The_host_file_system_replaces_the_content()
    {
        var dir = _fs.Seed("cg", ("cpu.shares", "1024\n"));

        dir.Write("cpu.shares", "2");

        Assert.Equal("2", _fs.Content(dir, "cpu.shares"));
    }

    [Fact]
    public void A_failed_read_names_the_file()
    {
        var dir = _fs.Dir();

        var error = Assert.Throws<CgroupException>(() => dir.Read("cgroup.procs"));

        Assert.Equal($"read {dir.Path}/cgroup.procs: No such file or directory", error.Message);
    }

    [Fact]
    public void Permission_errors_keep_their_errno()
    {
        var denied = new UnauthorizedAccessException("Access to the path is denied.", new IOException("Permission denied", Errno.EACCES));

        var error = CgroupException.Write("/cg/pids.max", "5", denied);

        Assert.Equal("write /cg/pids.max \"5\": Permission denied", error.Message);
        Assert.Equal(Errno.EACCES, error.Errno);
    }

    public void Dispose() => _fs.Dispose();
}
