namespace Berth.Cli.Cli;

/// <summary>Writes a stream to a file as docker's <c>-o</c> does: into a temp file beside it, then renamed over it.</summary>
internal static class OutputFile
{
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
}
