namespace Berth.Dockerfile;

/// <summary>
/// A <c>.dockerignore</c> with Docker's rules (docker/cli's reader, moby/patternmatcher's matching): <c>#</c> lines are
/// comments, each pattern is trimmed, cleaned like Go's <c>filepath.Clean</c> and loses a leading <c>/</c>;
/// <c>*</c> and <c>?</c> stop at <c>/</c>, <c>**</c> crosses directories, <c>[…]</c> is a class, <c>\</c> escapes;
/// a pattern that matches a directory excludes everything under it; <c>!pattern</c> re-includes, the last matching
/// pattern wins. Paths are relative to the context root, with forward slashes.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<IgnorePattern> _patterns;

    private DockerIgnore(IReadOnlyList<IgnorePattern> patterns) => _patterns = patterns;

    /// <summary>An empty file: nothing excluded.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>The patterns as written, after Docker's cleaning (<c>!</c> kept in front of exceptions).</summary>
    public IReadOnlyList<string> Patterns => [.. _patterns.Select(p => p.ToString())];

    /// <summary>Reads a <c>.dockerignore</c>; a bad pattern throws <see cref="FormatException"/> with Docker's text.</summary>
    public static DockerIgnore Parse(string content)
    {
        var patterns = new List<IgnorePattern>();
        var first = true;
        foreach (var raw in content.Split('\n'))
        {
            var line = first ? raw.TrimStart('\uFEFF') : raw;
            first = false;
            if (line.StartsWith('#'))
            {
                continue;
            }
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var exception = line[0] == '!';
            if (exception)
            {
                line = line[1..].Trim();
            }
            if (line.Length > 0)
            {
                line = GoPath.Clean(line);
                if (line.Length > 1 && line[0] == '/')
                {
                    line = line[1..];
                }
            }
            if (exception && line.Length == 0)
            {
                throw new FormatException("illegal exclusion pattern: \"!\"");
            }
            patterns.Add(new IgnorePattern(GoPath.Clean(line), exception));
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>True when the file or directory at <paramref name="relativePath"/> is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var path = GoPath.Clean(relativePath);
        if (path == ".")
        {
            return false;
        }
        var parents = ParentPrefixes(path);
        var excluded = false;
        foreach (var pattern in _patterns)
        {
            // An exclusion can only flip an included path and an exception an excluded one.
            if (pattern.IsException != excluded)
            {
                continue;
            }
            if (pattern.Matches(path) || parents.Any(pattern.Matches))
            {
                excluded = !pattern.IsException;
            }
        }
        return excluded;
    }

    /// <summary>
    /// Whether a walker must look inside <paramref name="relativeDirectory"/>: true unless the directory is excluded and
    /// no exception pattern starts with its path (Docker's own shortcut: <c>!**/keep</c> does not reopen a directory).
    /// </summary>
    public bool MayIncludeUnder(string relativeDirectory)
    {
        var directory = GoPath.Clean(relativeDirectory);
        if (!Excludes(directory))
        {
            return true;
        }
        var prefix = directory + "/";
        return _patterns.Any(p => p.IsException && (p.Pattern + "/").StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// These patterns plus an exception for <paramref name="relativePath"/> when they exclude it: the docker CLI always
    /// sends the Dockerfile and the <c>.dockerignore</c> itself, whatever the file says.
    /// </summary>
    public DockerIgnore Keeping(string relativePath) =>
        Excludes(relativePath) ? new DockerIgnore([.. _patterns, new IgnorePattern(GoPath.Clean(relativePath), true)]) : this;

    /// <summary><c>a/b/c</c> gives <c>a</c> and <c>a/b</c>: a pattern matching a parent excludes its contents.</summary>
    private static List<string> ParentPrefixes(string path)
    {
        var prefixes = new List<string>();
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            prefixes.Add(path[..slash]);
        }
        return prefixes;
    }
}
