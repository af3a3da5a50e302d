using System.Diagnostics;
using System.Globalization;

namespace Berth.Cli.Cli;

/// <summary>Writes a stream to a file as docker's <c>-o</c> does: into a temp file beside it, then renamed over it.</summary>
internal static class OutputFile
{
    /// <summary>
    /// docker's checks of the path before anything is asked of the daemon (moby's atomicwriter): its directory must
    /// exist, and what is there already must be a regular file, since the rename would otherwise replace a directory
    /// entry such as <c>/dev/null</c> or a socket with the archive.
    /// </summary>
    /// <exception cref="StatusException"><paramref name="failure"/>, then docker's reason; exit 1.</exception>
    public static void Validate(string path, string failure)
    {
        try
        {
            Check(path);
        }
        catch (IOException e)
        {
            throw new StatusException(1, $"{failure}: {e.Message}");
        }
    }

    private static void Check(string path)
    {
        if (path.Length == 0)
            throw new IOException("file name is empty");
        if (Path.GetDirectoryName(path.TrimEnd('/')) is { Length: > 0 } directory && directory is not ("." or "..") && !Directory.Exists(directory))
            throw new IOException($"invalid output path: stat {directory}: {(AncestorIsFile(directory) ? "not a directory" : "no such file or directory")}");
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
            throw new IOException("cannot write to a symbolic link directly");
        if (Directory.Exists(path))
            throw new IOException("cannot write to a directory");
        if (!info.Exists)
            return;
        var refusal = FileType(path) switch
        {
            0x8000 => null,
            0x1000 => "cannot write to a named pipe (FIFO)",
            0xC000 => "cannot write to a socket",
            0x2000 => "cannot write to a character device file",
            0x6000 => "cannot write to a block device file",
            var type => $"unknown file mode: {type:x}",
        };
        if (refusal is not null)
            throw new IOException(refusal);
    }

    /// <exception cref="IOException">and <see cref="UnauthorizedAccessException"/>: the temp file is gone again.</exception>
    public static async Task WriteAsync(Stream source, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // 0600 as docker writes it: an archive may hold secrets its owner did not mean to share.
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                BufferSize = 64 * 1024,
                Options = FileOptions.Asynchronous,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            await using (var file = new FileStream(temp, options))
            {
                await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw;
        }
    }

    private static bool AncestorIsFile(string directory)
    {
        for (var d = directory; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
        {
            if (File.Exists(d))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The <c>S_IFMT</c> bits of the path's own (not followed) mode, from coreutils' <c>stat</c>: .NET tells a
    /// directory and a link apart but not a device, a FIFO or a socket from a file, and the CLI calls no libc itself.
    /// </summary>
    private static int FileType(string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "%f", "--", path })
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start) ?? throw new IOException("stat did not start");
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 0 && int.TryParse(output.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mode))
                return mode & 0xF000;
            throw new IOException($"failed to stat output path: {process.StandardError.ReadToEnd().Trim()}");
        }
        catch (global::System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"failed to stat output path: {e.Message}");
        }
    }
}
