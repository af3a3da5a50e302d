using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// An OCI runtime with runc's command line (runc, crun), run as containerd's shim runs it: one process per operation,
/// its state under <paramref name="root"/>, errors read from its JSON log (<c>--log</c>) when there is one. A created
/// container's init and an exec's process are the runtime's grandchildren: the caller must be a child subreaper to reap
/// them.
/// </summary>
public sealed class CommandLineRuntime(string binary, string root, string? logFile = null) : IOciRuntime
{
    public int Create(CreateRequest request)
    {
        var pidFile = request.PidFile ?? Path.Combine(request.Bundle, "init.pid");
        var args = new List<string> { "create", "--bundle", request.Bundle, "--pid-file", pidFile };
        if (request.ConsoleSocket is not null) args.AddRange(["--console-socket", request.ConsoleSocket]);
        args.Add(request.Id);
        Run(args, request.Stdio);
        return ReadPid(pidFile);
    }

    public void Start(string id) => Run(["start", id]);

    public void Kill(string id, int signal, bool all) => Run(all ? ["kill", "--all", id, signal.ToString()] : ["kill", id, signal.ToString()]);

    public void Pause(string id) => Run(["pause", id]);

    public void Resume(string id) => Run(["resume", id]);

    public string Status(string id) => State(id).Status;

    public void Update(string id, LinuxResources resources) =>
        WithTempFile(JsonSerializer.SerializeToUtf8Bytes(resources, OciJsonContext.Default.LinuxResources), file => Run(["update", "--resources", file, id]));

    public IReadOnlyList<int> Pids(string id) => JsonSerializer.Deserialize(Run(["ps", "--format", "json", id]), RuntimeJsonContext.Default.ListInt32) ?? [];

    public int Exec(ExecRequest request)
    {
        var process = JsonSerializer.SerializeToUtf8Bytes(request.Process, OciJsonContext.Default.Process);
        return WithTempFile(process, processFile =>
        {
            var pidFile = request.PidFile ?? processFile + ".pid";
            try
            {
                var args = new List<string> { "exec", "--process", processFile, "--pid-file", pidFile, "--detach" };
                if (request.ConsoleSocket is not null) args.AddRange(["--console-socket", request.ConsoleSocket]);
                args.Add(request.Id);
                Run(args, request.Stdio);
                return ReadPid(pidFile);
            }
            finally
            {
                if (request.PidFile is null) File.Delete(pidFile);
            }
        });
    }

    /// <summary>Read from the container's cgroup, which the runtime names in its bundle's config.json as we do.</summary>
    public bool OomKilled(string id)
    {
        var spec = SpecFile.Load(State(id).Bundle);
        var cgroupsPath = string.IsNullOrEmpty(spec.Linux?.CgroupsPath) ? ContainerRuntime.DefaultCgroupsPath(id) : spec.Linux.CgroupsPath;
        return CgroupManagerFactory.Create(cgroupsPath, CgroupLayout.Detect()).GetStats().Memory.OomKills > 0;
    }

    /// <summary>Idempotent, as the shim's cleanup needs: a container the runtime does not know is already deleted.</summary>
    public void Delete(string id, bool force)
    {
        if (!Directory.Exists(Path.Combine(root, id))) return;
        Run(force ? ["delete", "--force", id] : ["delete", id]);
    }

    private Oci.Runtime.State State(string id) =>
        JsonSerializer.Deserialize(Run(["state", id]), OciJsonContext.Default.State) ?? throw new RuntimeException($"{Name}: state of {id}: empty answer");

    private string Name => Path.GetFileName(binary);

    /// <summary>
    /// Runs one operation and returns its standard output. With <paramref name="stdio"/> the runtime's stdio is the
    /// container's (a created init and a detached exec inherit it, as runc's pass-through mode expects); without, its
    /// output is read here.
    /// </summary>
    private byte[] Run(IReadOnlyList<string> args, StdioHandles? stdio = null)
    {
        if (logFile is not null) File.WriteAllBytes(logFile, []);
        var global = logFile is null ? new List<string> { Name, "--root", root } : [Name, "--root", root, "--log", logFile, "--log-format", "json"];
        using var devNull = FileDescriptors.Open("/dev/null", OpenFlags.ReadWrite);
        var stdout = stdio is null ? FileDescriptors.Pipe() : null;
        var stderr = stdio is null ? FileDescriptors.Pipe() : null;
        int pid;
        try
        {
            var fds = stdio is not null
                ? new Dictionary<int, SafeHandle> { [0] = stdio.In, [1] = stdio.Out, [2] = stdio.Err }
                : new Dictionary<int, SafeHandle> { [0] = devNull, [1] = stdout!.Write, [2] = stderr!.Write };
            pid = ProcessSpawner.Spawn(new SpawnRequest { Path = binary, Args = [.. global, .. args], Env = RuntimeEnvironment, Fds = fds });
        }
        finally
        {
            stdout?.Write.Dispose();
            stderr?.Write.Dispose();
        }
        using (stdout)
        using (stderr)
        {
            var errorText = stderr is null ? Task.FromResult<byte[]>([]) : Task.Run(() => ReadToEnd(stderr.Read));
            var output = stdout is null ? [] : ReadToEnd(stdout.Read);
            ProcessCalls.WaitPid(pid, out var status);
            var code = ProcessCalls.ExitCodeOf(status);
            if (code != 0) throw new RuntimeException(ErrorOf(args[0], code, errorText.Result));
            return output;
        }
    }

    /// <summary>The last error of the runtime's JSON log (its own words, as containerd reports them); else what it printed.</summary>
    private string ErrorOf(string operation, int code, byte[] printed)
    {
        if (logFile is not null && File.Exists(logFile))
        {
            foreach (var line in File.ReadAllLines(logFile).Reverse())
            {
                if (RuntimeLogLine.ErrorMessage(line) is { } message) return message;
            }
        }
        var text = System.Text.Encoding.UTF8.GetString(printed).Trim();
        return text.Length > 0 ? text : $"{Name} {operation} failed with exit code {code}";
    }

    private static byte[] ReadToEnd(SafeFileHandle handle)
    {
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static int ReadPid(string pidFile) =>
        int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && pid > 0 ? pid : throw new RuntimeException($"bad pid file {pidFile}");

    /// <summary>The runtime's own environment: PATH for its hooks; nothing of ours (the container's comes from config.json).</summary>
    private static readonly string[] RuntimeEnvironment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    private static T WithTempFile<T>(byte[] content, Func<string, T> use)
    {
        var file = Path.Combine(Path.GetTempPath(), $"berth-oci-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(file, content);
        try
        {
            return use(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void WithTempFile(byte[] content, Action<string> use) => WithTempFile(content, file =>
    {
        use(file);
        return 0;
    });
}
