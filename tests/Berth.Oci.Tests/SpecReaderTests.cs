using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

/// <summary>The hand-written reader must see exactly what the generated serializer wrote.</summary>
public sealed class SpecReaderTests
{
    private static Spec Full() => new()
    {
        Process = new Process
        {
            Terminal = true, ConsoleSize = new Box { Height = 24, Width = 80 },
            User = new User { Uid = 1, Gid = 2, Umask = 18, AdditionalGids = [3, 4], Username = "u" },
            Args = ["sh", "-c", "x"], Env = ["A=1"], Cwd = "/w",
            Capabilities = new LinuxCapabilities { Bounding = ["CAP_KILL"], Effective = ["CAP_KILL"], Inheritable = [], Permitted = ["CAP_KILL"], Ambient = [] },
            Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Hard = ulong.MaxValue, Soft = 5 }],
            NoNewPrivileges = true, OomScoreAdj = -100, ApparmorProfile = "p", SelinuxLabel = "l",
        },
        Root = new Root { Path = "r", Readonly = true },
        Hostname = "h", Domainname = "d",
        Mounts = [new Mount { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid"] }],
        Hooks = new Hooks { Poststop = [new Hook { Path = "/bin/true", Args = ["true"], Env = ["X=1"], Timeout = 3 }] },
        Annotations = new() { ["k"] = "v" },
        Linux = new Linux
        {
            Sysctl = new() { ["net.ipv4.ip_forward"] = "1" },
            Resources = new LinuxResources
            {
                Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }, new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" }],
                Memory = new LinuxMemory { Limit = 1 << 30, Reservation = 1 << 20, Swap = -1, Swappiness = 0, DisableOOMKiller = true },
                Cpu = new LinuxCpu { Shares = 512, Quota = -1, Period = 100000, Cpus = "0-1", Mems = "0" },
                Pids = new LinuxPids { Limit = 10 }, BlockIO = new LinuxBlockIo { Weight = 300 }, Unified = new() { ["memory.high"] = "max" },
            },
            CgroupsPath = "/c",
            Namespaces = [new LinuxNamespace { Type = "pid" }, new LinuxNamespace { Type = "network", Path = "/proc/1/ns/net" }],
            Devices = [new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 438, Uid = 0, Gid = 0 }],
            Seccomp = new LinuxSeccomp
            {
                DefaultAction = "SCMP_ACT_ERRNO", DefaultErrnoRet = 1, Architectures = ["SCMP_ARCH_X86_64"], Flags = ["SECCOMP_FILTER_FLAG_LOG"],
                Syscalls = [new LinuxSyscall { Names = ["read"], Action = "SCMP_ACT_ALLOW", ErrnoRet = 2, Args = [new LinuxSeccompArg { Index = 1, Value = 2, ValueTwo = 3, Op = "SCMP_CMP_EQ" }] }],
            },
            RootfsPropagation = "rprivate", MaskedPaths = ["/proc/kcore"], ReadonlyPaths = ["/proc/sys"], MountLabel = "m",
        },
    };

    [Fact]
    public void Reading_what_the_serializer_wrote_gives_the_same_spec()
    {
        var json = JsonSerializer.Serialize(Full(), OciJsonContext.Default.Spec);
        var read = SpecReader.Read(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal(json, JsonSerializer.Serialize(read, OciJsonContext.Default.Spec));
    }

    [Theory]
    [InlineData("""{"linux":{"resources":{"memory":{"limit":"lots"}}}}""", "linux.resources.memory.limit: expected an integer, found string")]
    [InlineData("""{"process":{"args":"sh"}}""", "process.args: expected an array, found string")]
    [InlineData("""{"mounts":[{"destination":"/x","options":[1]}]}""", "mounts[0].options[0]: expected a string, found number")]
    [InlineData("""{"process":{"user":{"uid":-1}}}""", "process.user.uid: expected an unsigned integer, found number")]
    public void A_field_of_the_wrong_type_is_named_by_its_path(string json, string message)
    {
        var e = Assert.Throws<JsonException>(() => SpecReader.Read(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(message, e.Message);
    }
}

public sealed class ProcessWriterTests
{
    [Fact]
    public void Hand_written_process_reads_back_as_the_generated_serializer_writes_it()
    {
        var process = new Process
        {
            Terminal = true, ConsoleSize = new Box { Height = 1, Width = 2 },
            User = new User { Uid = 1000, Gid = 100, Umask = 18, AdditionalGids = [5], Username = "u" },
            Args = ["sh", "-c", "echo \"quoted\" ünïcode"], Env = ["PATH=/bin"], Cwd = "/tmp",
            Capabilities = new LinuxCapabilities { Bounding = ["CAP_KILL"], Effective = [], Permitted = ["CAP_KILL"] },
            Rlimits = [new PosixRlimit { Type = "RLIMIT_NOFILE", Hard = ulong.MaxValue, Soft = 1 }],
            NoNewPrivileges = true, OomScoreAdj = -999, ApparmorProfile = "a", SelinuxLabel = "s",
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("process");
            ProcessWriter.Write(writer, process);
            writer.WriteEndObject();
        }
        var read = SpecReader.Read(buffer.ToArray()).Process!;
        Assert.Equal(JsonSerializer.Serialize(process, OciJsonContext.Default.Process), JsonSerializer.Serialize(read, OciJsonContext.Default.Process));
    }
}
