using System.Text;
using Berth.Distribution.Storage;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>Link files: small files holding one digest, the registry's way to say "this repository has that".</summary>
internal static class Links
{
    public static async Task<Digest?> ReadAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await driver.GetContentAsync(path, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return null;
        }
        return Digest.TryParse(Encoding.UTF8.GetString(content).Trim(), out var digest) ? digest : null;
    }

    public static Task WriteAsync(IStorageDriver driver, string path, Digest digest, CancellationToken cancellationToken) =>
        driver.PutContentAsync(path, Encoding.UTF8.GetBytes(digest.ToString()), cancellationToken);

    /// <summary>Deletes a path; false when it was not there.</summary>
    public static async Task<bool> TryDeleteAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        try
        {
            await driver.DeleteAsync(path, cancellationToken);
            return true;
        }
        catch (PathNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The children's last path components, or nothing when the directory does not exist.</summary>
    public static async Task<List<string>> ListNamesAsync(IStorageDriver driver, string directory, CancellationToken cancellationToken)
    {
        try
        {
            var children = await driver.ListAsync(directory, cancellationToken);
            return children.Select(StoragePath.Name).ToList();
        }
        catch (PathNotFoundException)
        {
            return [];
        }
    }
}
