using Berth.Compose.Model;
using Berth.Compose.Yaml;

namespace Berth.Compose.Loading;

/// <summary>
/// Loads a project as <c>docker compose</c> does: finds the files, reads the project directory's <c>.env</c> (the
/// process environment wins over it), reads each file (YAML, then substitution, then canonical form, then its
/// <c>include</c>s), merges the files in order, names the project, applies profiles and checks the result.
/// </summary>
public static class ProjectLoader
{
    private static readonly string[] DefaultFiles = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    public static ComposeProject Load(LoadOptions options)
    {
        var cwd = options.WorkingDirectory;
        var explicitDirectory = options.ProjectDirectory is { } d ? Path.GetFullPath(d, cwd) : null;
        // .env is read before the files are known: it may set COMPOSE_FILE.
        var env = Environment(explicitDirectory ?? cwd, options);
        var files = Files(options, env, explicitDirectory ?? cwd);
        var directory = explicitDirectory ?? Path.GetDirectoryName(files[0])!;
        if (explicitDirectory is null && options.Files.Count > 0 && options.EnvFiles.Count == 0)
            env = Environment(directory, options);
        var lookup = Lookup(env);
        var home = lookup("HOME");
        MapNode? merged = null;
        foreach (var file in files)
        {
            var tree = ReadFile(file, directory, lookup, home, options.Warn, [file]);
            merged = merged is null ? tree : Merger.MergeProject(merged, tree);
        }
        var name = Name(options, lookup, merged!, directory);
        var profiles = options.Profiles.Count > 0 ? options.Profiles
            : lookup("COMPOSE_PROFILES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var resolved = new ProjectResolver(name, lookup).Resolve(merged!, profiles, options.Services);
        return new ComposeProject(name, directory, files, resolved, env.EnvFiles, lookup);
    }

    private sealed record ProjectEnvironment(Dictionary<string, string> DotEnv, Func<string, string?> Process, IReadOnlyList<string> EnvFiles);

    private static ProjectEnvironment Environment(string directory, LoadOptions options)
    {
        var files = options.EnvFiles.Count > 0
            ? options.EnvFiles.Select(f => Path.GetFullPath(f, options.WorkingDirectory)).ToList()
            : [.. new[] { Path.Combine(directory, ".env") }.Where(File.Exists)];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!File.Exists(file))
                throw new ComposeException($"couldn't find env file: {file}");
            foreach (var (key, value) in DotEnv.Parse(File.ReadAllText(file), file, k => options.Environment(k) ?? values.GetValueOrDefault(k)))
                values[key] = value;
        }
        return new ProjectEnvironment(values, options.Environment, files);
    }

    /// <summary>The process environment first, then the env files (compose's precedence).</summary>
    private static Func<string, string?> Lookup(ProjectEnvironment env) => name => env.Process(name) ?? env.DotEnv.GetValueOrDefault(name);

    private static List<string> Files(LoadOptions options, ProjectEnvironment env, string directory)
    {
        if (options.Files.Count > 0)
            return options.Files.Select(f => Existing(Path.GetFullPath(f, options.WorkingDirectory))).ToList();
        if (Lookup(env)("COMPOSE_FILE") is { Length: > 0 } composeFile)
        {
            var separator = Lookup(env)("COMPOSE_PATH_SEPARATOR") is { Length: > 0 } s ? s : ":";
            return composeFile.Split(separator, StringSplitOptions.RemoveEmptyEntries).Select(f => Existing(Path.GetFullPath(f, directory))).ToList();
        }
        for (var dir = directory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (DefaultFiles.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists) is { } found)
                return [found];
        throw new ComposeException("no configuration file provided: not found");
    }

    private static string Existing(string file) =>
        File.Exists(file) ? file : throw new ComposeException($"open {file}: no such file or directory");

    /// <summary>One file to a canonical tree, its <c>include</c>s merged in (each relative to its own directory).</summary>
    private static MapNode ReadFile(string file, string directory, Func<string, string?> lookup, string? home, Action<string> warn, List<string> chain)
    {
        var tree = Interpolated(file, lookup, warn);
        foreach (var key in tree.Entries.Keys)
            if (!ServiceKeys.TopLevel.Contains(key) && !ServiceKeys.IsExtension(key))
                throw new ComposeException(file, "(root)", $"additional properties '{key}' not allowed");
        var canonical = new MapNode();
        var paths = new PathResolver(directory, home);
        var normalizer = new ServiceNormalizer(file, paths, lookup);
        foreach (var (key, value) in tree.Entries.Where(e => e.Key != "include"))
            canonical.Set(key, key switch
            {
                "services" => Services(value.AsMap(file, key), normalizer, file, BaseServices(lookup, home, warn)),
                "secrets" or "configs" => FilesResolved(Definitions(value, file, key).AsMap(file, key), paths),
                "networks" or "volumes" => Definitions(value, file, key),
                _ => value,
            });
        if (tree["include"] is { } include)
            foreach (var (path, projectDirectory) in Includes(include, file, directory))
            {
                if (chain.Contains(path))
                    throw new ComposeException(file, "include", $"include cycle detected:\n{string.Join("\n include ", chain.Append(path))}");
                var included = ReadFile(Existing(path), projectDirectory, lookup, home, warn, [.. chain, path]);
                canonical = Include(canonical, included, file);
            }
        return canonical;
    }

    /// <summary>A top-level section of networks, volumes, secrets or configs (or nothing): each one a mapping, or empty.</summary>
    private static Node Definitions(Node section, string file, string key)
    {
        if (section is ScalarNode { IsNull: true })
            return section;
        var map = section.AsMap(file, key);
        foreach (var (name, definition) in map.Entries)
            if (definition is not (MapNode or ScalarNode { IsNull: true }))
                throw new ComposeException(file, $"{key}.{name}", "must be a mapping");
        return map;
    }

    private static MapNode Interpolated(string file, Func<string, string?> lookup, Action<string> warn)
    {
        var raw = YamlReader.Read(File.ReadAllText(file), file).AsMap(file, "");
        return (MapNode)new Interpolation(lookup, warn).Apply(raw, file, "");
    }

    private static MapNode Services(MapNode services, ServiceNormalizer normalizer, string file, Extends extends)
    {
        var output = Normalized(services, normalizer, file);
        extends.Apply(output, file);
        return output;
    }

    private static MapNode Normalized(MapNode services, ServiceNormalizer normalizer, string file)
    {
        var output = new MapNode();
        foreach (var (name, service) in services.Entries)
            output.Set(name, normalizer.Normalize(name, service is ScalarNode { IsNull: true } ? new MapNode() : service.AsMap(file, "services." + name)));
        return output;
    }

    /// <summary>
    /// The services of a file another extends, read and made canonical against that file's own directory; their own
    /// <c>extends</c> are left for <see cref="Extends"/>, which follows them with its cycle check.
    /// </summary>
    private static Extends BaseServices(Func<string, string?> lookup, string? home, Action<string> warn) => new(file =>
    {
        var tree = Interpolated(Existing(file), lookup, warn);
        var services = tree["services"] as MapNode ?? throw new ComposeException($"cannot extend a service in {file}: no services section");
        return Normalized(services, new ServiceNormalizer(file, new PathResolver(Path.GetDirectoryName(file)!, home), lookup), file);
    });

    /// <summary>Top-level secrets and configs with their <c>file</c> made absolute against the file's project directory.</summary>
    private static MapNode FilesResolved(MapNode resources, PathResolver paths)
    {
        var output = new MapNode();
        foreach (var (key, value) in resources.Entries)
        {
            var resource = (MapNode)value.Clone();
            if (resource["file"] is ScalarNode file)
                resource.Set("file", ScalarNode.String(paths.Resolve(file.Value)));
            output.Set(key, resource);
        }
        return output;
    }

    private static IEnumerable<(string Path, string ProjectDirectory)> Includes(Node include, string file, string directory)
    {
        foreach (var item in include.AsSeq(file, "include").Items)
        {
            var map = item as MapNode;
            var paths = map is null ? [item.AsString(file, "include")] : (map["path"] ?? throw new ComposeException(file, "include", "path is required")).AsStrings(file, "include.path");
            var first = Path.GetFullPath(paths[0], directory);
            var projectDirectory = map?.StringOrNull("project_directory", file, "include") is { } p ? Path.GetFullPath(p, directory) : Path.GetDirectoryName(first)!;
            foreach (var path in paths)
                yield return (Path.GetFullPath(path, directory), projectDirectory);
        }
    }

    /// <summary>An included file's resources join the project's; redefining one of them is an error, as in compose.</summary>
    private static MapNode Include(MapNode project, MapNode included, string file)
    {
        foreach (var (section, value) in included.Entries)
        {
            if (value is not MapNode resources || project[section] is not MapNode existing)
            {
                project.Entries.TryAdd(section, value);
                continue;
            }
            foreach (var (name, resource) in resources.Entries)
                if (!existing.Entries.TryAdd(name, resource) && !YamlWriter.Same(existing[name]!, resource))
                    throw new ComposeException(file, $"{section}.{name}", "conflicts with imported resource");
        }
        return project;
    }

    private static string Name(LoadOptions options, Func<string, string?> lookup, MapNode tree, string directory)
    {
        if (options.ProjectName is { Length: > 0 } flag)
            return ProjectName.Checked(flag);
        if (lookup("COMPOSE_PROJECT_NAME") is { Length: > 0 } env)
            return ProjectName.Checked(env);
        if (tree["name"] is ScalarNode { IsNull: false } name)
            return ProjectName.Checked(name.Value);
        var normalized = ProjectName.Normalize(Path.GetFileName(directory.TrimEnd('/')));
        return normalized.Length > 0 ? normalized : throw new ComposeException($"project name must not be empty");
    }
}
