using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>The shim's own messages: to its stderr, the file the daemon gave it.</summary>
public static class Diagnostics
{
    private static readonly SafeFileHandle Stderr = new(2, ownsHandle: false);

    public static void Write(string message)
    {
        try
        {
            var line = $"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} berth-shim: {message}\n";
            FileDescriptors.WriteAll(Stderr, System.Text.Encoding.UTF8.GetBytes(line));
        }
        catch (LinuxException)
        {
            // nowhere left to say it
        }
    }
}
