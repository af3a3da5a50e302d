using System.Text.Json;

namespace Berth.Oci.Runtime;

/// <summary>
/// Reads config.json through <see cref="JsonDocument"/>. The runtime reads a spec on every create (in two processes),
/// and under NativeAOT building the source-generated metadata for the whole Spec graph costs milliseconds on a cold
/// start, while a document walk costs microseconds. Unknown fields are ignored; a field of the wrong JSON type is an
/// error that names its path (e.g. <c>linux.resources.memory.limit</c>).
/// </summary>
public static class SpecReader
{
    public static Spec Read(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return Read(new Node(document.RootElement, ""));
    }

    public static Spec Read(JsonElement element) => Read(new Node(element, ""));

    /// <summary>A lone process object, as <c>exec --process</c> takes it.</summary>
    public static Process ReadProcess(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return ReadProcess(new Node(document.RootElement, ""));
    }

    /// <summary>A lone resources object (<c>linux.resources</c>), as an update sends it.</summary>
    public static LinuxResources ReadResources(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadResources(new Node(document.RootElement, "resources"));
    }

    private static Spec Read(Node n) => new()
    {
        OciVersion = n.String("ociVersion") ?? SpecVersion.Current,
        Process = n.Object("process", ReadProcess),
        Root = n.Object("root", r => new Root { Path = r.String("path") ?? "rootfs", Readonly = r.Bool("readonly") }),
        Hostname = n.String("hostname"),
        Domainname = n.String("domainname"),
        Mounts = n.List("mounts", m => new Mount { Destination = m.String("destination") ?? "", Type = m.String("type"), Source = m.String("source"), Options = m.Strings("options") }),
        Hooks = n.Object("hooks", ReadHooks),
        Annotations = n.Map("annotations"),
        Linux = n.Object("linux", ReadLinux),
    };

    private static Process ReadProcess(Node n) => new()
    {
        Terminal = n.Bool("terminal"),
        ConsoleSize = n.Object("consoleSize", b => new Box { Height = b.UInt("height") ?? 0, Width = b.UInt("width") ?? 0 }),
        User = n.Object("user", u => new User
        {
            Uid = u.UInt("uid") ?? 0, Gid = u.UInt("gid") ?? 0, Umask = u.UInt("umask"),
            AdditionalGids = u.List("additionalGids", g => g.AsUInt()), Username = u.String("username"),
        }) ?? new User(),
        Args = n.Strings("args"),
        Env = n.Strings("env"),
        Cwd = n.String("cwd") ?? "/",
        Capabilities = n.Object("capabilities", c => new LinuxCapabilities
        {
            Bounding = c.Strings("bounding"), Effective = c.Strings("effective"), Inheritable = c.Strings("inheritable"),
            Permitted = c.Strings("permitted"), Ambient = c.Strings("ambient"),
        }),
        Rlimits = n.List("rlimits", r => new PosixRlimit { Type = r.String("type") ?? "", Hard = r.ULong("hard") ?? 0, Soft = r.ULong("soft") ?? 0 }),
        NoNewPrivileges = n.Bool("noNewPrivileges"),
        ApparmorProfile = n.String("apparmorProfile"),
        OomScoreAdj = n.Int("oomScoreAdj"),
        SelinuxLabel = n.String("selinuxLabel"),
    };

    private static Hooks ReadHooks(Node n)
    {
        static List<Hook>? Phase(Node n, string name) => n.List(name, h => new Hook
        {
            Path = h.String("path") ?? "", Args = h.Strings("args"), Env = h.Strings("env"), Timeout = h.Int("timeout"),
        });
        return new Hooks
        {
            Prestart = Phase(n, "prestart"), CreateRuntime = Phase(n, "createRuntime"), CreateContainer = Phase(n, "createContainer"),
            StartContainer = Phase(n, "startContainer"), Poststart = Phase(n, "poststart"), Poststop = Phase(n, "poststop"),
        };
    }

    private static Linux ReadLinux(Node n) => new()
    {
        UidMappings = n.List("uidMappings", ReadIdMapping),
        GidMappings = n.List("gidMappings", ReadIdMapping),
        Sysctl = n.Map("sysctl"),
        Resources = n.Object("resources", ReadResources),
        CgroupsPath = n.String("cgroupsPath"),
        Namespaces = n.List("namespaces", ns => new LinuxNamespace { Type = ns.String("type") ?? "", Path = ns.String("path") }),
        Devices = n.List("devices", d => new LinuxDevice
        {
            Path = d.String("path") ?? "", Type = d.String("type") ?? "", Major = d.Long("major") ?? 0, Minor = d.Long("minor") ?? 0,
            FileMode = d.UInt("fileMode"), Uid = d.UInt("uid"), Gid = d.UInt("gid"),
        }),
        Seccomp = n.Object("seccomp", ReadSeccomp),
        RootfsPropagation = n.String("rootfsPropagation"),
        MaskedPaths = n.Strings("maskedPaths"),
        ReadonlyPaths = n.Strings("readonlyPaths"),
        MountLabel = n.String("mountLabel"),
    };

    private static IdMapping ReadIdMapping(Node m) =>
        new() { ContainerId = m.UInt("containerID") ?? 0, HostId = m.UInt("hostID") ?? 0, Size = m.UInt("size") ?? 0 };

    private static LinuxResources ReadResources(Node n) => new()
    {
        Devices = n.List("devices", d => new LinuxDeviceCgroup
        {
            Allow = d.Bool("allow"), Type = d.String("type"), Major = d.Long("major"), Minor = d.Long("minor"), Access = d.String("access"),
        }),
        Memory = n.Object("memory", m => new LinuxMemory
        {
            Limit = m.Long("limit"), Reservation = m.Long("reservation"), Swap = m.Long("swap"), Swappiness = m.ULong("swappiness"),
            DisableOOMKiller = m.NullableBool("disableOOMKiller"),
        }),
        Cpu = n.Object("cpu", c => new LinuxCpu
        {
            Shares = c.ULong("shares"), Quota = c.Long("quota"), Period = c.ULong("period"), Cpus = c.String("cpus"), Mems = c.String("mems"),
        }),
        Pids = n.Object("pids", p => new LinuxPids { Limit = p.Long("limit") ?? 0 }),
        BlockIO = n.Object("blockIO", b => new LinuxBlockIo
        {
            Weight = (ushort?)b.UInt("weight"),
            WeightDevice = b.List("weightDevice", d => new LinuxWeightDevice { Major = d.Long("major") ?? 0, Minor = d.Long("minor") ?? 0, Weight = (ushort?)d.UInt("weight") }),
            ThrottleReadBpsDevice = b.List("throttleReadBpsDevice", ReadThrottle),
            ThrottleWriteBpsDevice = b.List("throttleWriteBpsDevice", ReadThrottle),
            ThrottleReadIOPSDevice = b.List("throttleReadIOPSDevice", ReadThrottle),
            ThrottleWriteIOPSDevice = b.List("throttleWriteIOPSDevice", ReadThrottle),
        }),
        Unified = n.Map("unified"),
    };

    private static LinuxThrottleDevice ReadThrottle(Node d) =>
        new() { Major = d.Long("major") ?? 0, Minor = d.Long("minor") ?? 0, Rate = d.ULong("rate") ?? 0 };

    private static LinuxSeccomp ReadSeccomp(Node n) => new()
    {
        DefaultAction = n.String("defaultAction") ?? "",
        DefaultErrnoRet = n.UInt("defaultErrnoRet"),
        Architectures = n.Strings("architectures"),
        Flags = n.Strings("flags"),
        Syscalls = n.List("syscalls", s => new LinuxSyscall
        {
            Names = s.Strings("names") ?? [], Action = s.String("action") ?? "", ErrnoRet = s.UInt("errnoRet"),
            Args = s.List("args", a => new LinuxSeccompArg
            {
                Index = a.UInt("index") ?? 0, Value = a.ULong("value") ?? 0, ValueTwo = a.ULong("valueTwo") ?? 0, Op = a.String("op") ?? "",
            }),
        }),
    };

    /// <summary>A JSON value and its path in the document, for errors that say where.</summary>
    private readonly record struct Node(JsonElement Element, string Path)
    {
        private Node? Child(string name)
        {
            if (Element.ValueKind != JsonValueKind.Object) throw Wrong("an object");
            return Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? new Node(value, Path.Length == 0 ? name : $"{Path}.{name}")
                : null;
        }

        public string? String(string name) => Child(name)?.AsString();
        public bool Bool(string name) => NullableBool(name) ?? false;
        public bool? NullableBool(string name) => Child(name) is { } c ? c.Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw c.Wrong("true or false"),
        } : null;
        public uint? UInt(string name) => Child(name)?.AsUInt();
        public int? Int(string name) => Child(name) is { } c ? c.Number<int>(c.Element.TryGetInt32, "an integer") : null;
        public long? Long(string name) => Child(name) is { } c ? c.Number<long>(c.Element.TryGetInt64, "an integer") : null;
        public ulong? ULong(string name) => Child(name) is { } c ? c.Number<ulong>(c.Element.TryGetUInt64, "an unsigned integer") : null;
        public T? Object<T>(string name, Func<Node, T> read) where T : class => Child(name) is { } c ? read(c) : null;
        public List<string>? Strings(string name) => List(name, n => n.AsString());

        public List<T>? List<T>(string name, Func<Node, T> read)
        {
            if (Child(name) is not { } c) return null;
            if (c.Element.ValueKind != JsonValueKind.Array) throw c.Wrong("an array");
            var list = new List<T>(c.Element.GetArrayLength());
            var i = 0;
            foreach (var item in c.Element.EnumerateArray()) list.Add(read(new Node(item, $"{c.Path}[{i++}]")));
            return list;
        }

        public Dictionary<string, string>? Map(string name)
        {
            if (Child(name) is not { } c) return null;
            if (c.Element.ValueKind != JsonValueKind.Object) throw c.Wrong("an object");
            var map = new Dictionary<string, string>();
            foreach (var p in c.Element.EnumerateObject()) map[p.Name] = new Node(p.Value, $"{c.Path}.{p.Name}").AsString();
            return map;
        }

        public string AsString() => Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Wrong("a string");
        public uint AsUInt() => Number<uint>(Element.TryGetUInt32, "an unsigned integer");

        public delegate bool TryGet<T>(out T value);

        public T Number<T>(TryGet<T> tryGet, string expected) =>
            Element.ValueKind == JsonValueKind.Number && tryGet(out var value) ? value : throw Wrong(expected);

        private JsonException Wrong(string expected) => new($"{Path}: expected {expected}, found {Element.ValueKind.ToString().ToLowerInvariant()}");
    }
}
