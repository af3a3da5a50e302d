using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// A private console socket (in a 0700 temp directory) that the runtime's stage connects to and sends a pty master
/// over, as runc's <c>--console-socket</c> works. One per process with a terminal; disposing removes it.
/// </summary>
public sealed class ConsoleReceiver : IDisposable
{
    private readonly string _dir;
    private readonly SafeFileHandle _listener;

    private ConsoleReceiver(string dir, SafeFileHandle listener)
    {
        _dir = dir;
        _listener = listener;
    }

    public string Path => System.IO.Path.Combine(_dir, "console.sock");

    public static ConsoleReceiver Create()
    {
        var dir = Directory.CreateTempSubdirectory("berth-shim-").FullName;
        try
        {
            return new ConsoleReceiver(dir, UnixSockets.Listen(System.IO.Path.Combine(dir, "console.sock"), 1, 0b110_000_000));
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>The master the stage sent; it connected and sent before the runtime call returned, so it is queued.</summary>
    public SafeFileHandle Receive()
    {
        using var connection = UnixSockets.Accept(_listener) ?? throw new IOException("the container's stage did not connect to the console socket");
        FileDescriptors.SetBlocking(connection);
        var (master, _) = UnixRights.Receive(connection);
        FileDescriptors.SetNonBlocking(master);
        return master;
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException e)
        {
            Diagnostics.Write($"remove {_dir}: {e.Message}");
        }
    }
}
