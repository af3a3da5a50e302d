namespace Berth.Distribution.Storage;

/// <summary>The path grammar every driver accepts: <c>/</c> or <c>(/[A-Za-z0-9._-]+)+</c> without <c>.</c>/<c>..</c> components.</summary>
public static class StoragePath
{
    public static void Validate(string path)
    {
        if (!IsValid(path)) throw new InvalidPathException(path);
    }

    public static bool IsValid(string path)
    {
        if (path == "/") return true;
        if (path.Length < 2 || path[0] != '/' || path[^1] == '/') return false;
        foreach (var component in path.AsSpan(1).Split('/'))
        {
            var part = path.AsSpan(1)[component];
            if (part.IsEmpty || part is "." || part is "..") return false;
            foreach (var c in part)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')) return false;
            }
        }
        return true;
    }

    public static string Combine(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
