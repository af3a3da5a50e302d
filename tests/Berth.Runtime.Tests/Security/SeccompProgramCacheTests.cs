using Berth.Oci.Runtime;
using Berth.Runtime.Security;

namespace Berth.Runtime.Tests.Security;

public sealed class SeccompProgramCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seccomp-cache-").FullName;
    private string Cache => Path.Combine(_root, "seccomp");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SeccompProfile Profile(params string[] allowed) => SeccompProfile.FromOci(new LinuxSeccomp
    {
        DefaultAction = "SCMP_ACT_ERRNO",
        Architectures = ["SCMP_ARCH_X86_64"],
        Syscalls = [new LinuxSyscall { Action = "SCMP_ACT_ALLOW", Names = [.. allowed] }],
    })!;

    [Fact]
    public void A_cached_program_is_the_compiled_one_and_private_to_its_owner()
    {
        var compiled = Profile("read", "write").Build();
        var first = SeccompProgramCache.Build(Profile("read", "write"), Cache);
        var file = Assert.Single(Directory.GetFiles(Cache));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Cache));
        var second = SeccompProgramCache.Build(Profile("read", "write"), Cache);
        Assert.Equal(compiled.Instructions, first.Instructions);
        Assert.Equal(compiled.Instructions, second.Instructions);
        Assert.Equal(compiled.Flags, second.Flags);
        Assert.Equal(compiled.Patched, second.Patched);
    }

    [Fact]
    public void Another_profile_gets_another_entry()
    {
        SeccompProgramCache.Build(Profile("read"), Cache);
        var other = SeccompProgramCache.Build(Profile("read", "mkdir"), Cache);
        Assert.Equal(2, Directory.GetFiles(Cache).Length);
        Assert.Equal(Profile("read", "mkdir").Build().Instructions, other.Instructions);
    }

    [Fact]
    public void Entries_others_could_have_written_are_not_trusted()
    {
        SeccompProgramCache.Build(Profile("read"), Cache);
        var file = Assert.Single(Directory.GetFiles(Cache));
        File.WriteAllBytes(file, new byte[13]); // a planted "allow everything" program
        File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.OtherWrite);
        Assert.Equal(Profile("read").Build().Instructions, SeccompProgramCache.Build(Profile("read"), Cache).Instructions);
        File.SetUnixFileMode(Cache, File.GetUnixFileMode(Cache) | UnixFileMode.OtherWrite);
        File.WriteAllBytes(file, new byte[13]);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(Profile("read").Build().Instructions, SeccompProgramCache.Build(Profile("read"), Cache).Instructions);
    }

    [Fact]
    public void A_torn_entry_is_compiled_again()
    {
        SeccompProgramCache.Build(Profile("read"), Cache);
        File.WriteAllBytes(Assert.Single(Directory.GetFiles(Cache)), [1, 2, 3]);
        Assert.Equal(Profile("read").Build().Instructions, SeccompProgramCache.Build(Profile("read"), Cache).Instructions);
    }
}
