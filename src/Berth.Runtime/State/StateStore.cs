using System.Text.Json;
using Berth.Linux;
using Berth.Oci;

namespace Berth.Runtime.State;

/// <summary>
/// The runtime's state directory. Layout:
/// <code>
/// ROOT/                 --root (default /run/berth-runtime)
///   ID/
///     state.json        ContainerRecord, written to a temp file and renamed (no fsync: like the containers it
///                       describes, runtime state does not outlive a reboot; /run is usually a tmpfs)
///     exec.fifo         present while the container is "created"; `start` opens it to release the init
/// </code>
/// </summary>
public sealed class StateStore(string root)
{
    public const string DefaultRoot = "/run/berth-runtime";

    public string Root { get; } = root;

    public string ContainerDir(string id) => Path.Combine(Root, id);
    public string StateFile(string id) => Path.Combine(Root, id, "state.json");
    public string ExecFifo(string id) => Path.Combine(Root, id, "exec.fifo");

    public static void ValidateId(string id)
    {
        if (id.Length == 0 || id.Length > 1024 || id is "." or ".." ||
            !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.'))
            throw new RuntimeException($"invalid container id format: {id}");
    }

    /// <summary>Claims the directory of a new container; fails when the id is taken.</summary>
    public string CreateContainerDir(string id)
    {
        ValidateId(id);
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dir = ContainerDir(id);
        if (Directory.Exists(dir)) throw new RuntimeException($"container with id exists: {id}");
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    public void Save(ContainerRecord record)
    {
        var path = StateFile(record.Id);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            ContainerRecordJson.Write(stream, record);
        }
        File.Move(temp, path, overwrite: true);
    }

    public ContainerRecord Load(string id)
    {
        ValidateId(id);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(StateFile(id));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContainerNotFoundException(id);
        }
        try
        {
            return ContainerRecordJson.Read(json);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new RuntimeException($"container \"{id}\" has a damaged state file: {e.Message}", e);
        }
    }

    public IEnumerable<string> ListIds() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).Where(id => File.Exists(StateFile(id!))).Order().Cast<string>()
            : [];

    public void Remove(string id)
    {
        var dir = ContainerDir(id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    public static string Serialize(Oci.Runtime.State state) => JsonSerializer.Serialize(state, OciJsonContext.Default.State);
}
