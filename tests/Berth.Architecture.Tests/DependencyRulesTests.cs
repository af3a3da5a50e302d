using System.Text.RegularExpressions;
using Berth.Testing;

namespace Berth.Architecture.Tests;

/// <summary>The arrows of DESIGN.md: each project may reference, and name the namespaces of, only the projects below it.</summary>
public sealed partial class DependencyRulesTests
{
    private static readonly string[] EngineLibraries =
        ["Berth.Oci", "Berth.Linux", "Berth.Runtime", "Berth.Shim.Protocol", "Berth.Content", "Berth.Snapshots", "Berth.Distribution", "Berth.Images",
         "Berth.Network", "Berth.Volumes", "Berth.Build", "Berth.Dockerfile"];

    /// <summary>
    /// project → the projects it may reference directly (DESIGN.md, "The solution"), and so whose namespaces its code may
    /// use. The edges marked "vocabulary" are not drawn in DESIGN.md: the project names types a lower project's public
    /// API hands it (Berth.Images' records are in Berth.Oci's digests and configs, Berth.Api.Client's in Berth.Api.Models').
    /// </summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Berth.Linux"] = [],
        ["Berth.Oci"] = [],
        ["Berth.Runtime"] = ["Berth.Oci", "Berth.Linux"],
        ["Berth.Runtime.Cli"] = ["Berth.Runtime", "Berth.Oci", "Berth.Linux"], // vocabulary: specs, signals, errno
        ["Berth.Shim.Protocol"] = ["Berth.Linux"],
        ["Berth.Shim"] = ["Berth.Runtime", "Berth.Shim.Protocol", "Berth.Oci", "Berth.Linux"], // vocabulary: specs, fds, errno
        ["Berth.Content"] = ["Berth.Oci"],
        ["Berth.Snapshots"] = ["Berth.Oci", "Berth.Linux"],
        ["Berth.Distribution"] = ["Berth.Oci", "Berth.Content"],
        ["Berth.Images"] = ["Berth.Content", "Berth.Snapshots", "Berth.Distribution", "Berth.Oci"], // vocabulary
        ["Berth.Network"] = ["Berth.Oci", "Berth.Linux"],
        ["Berth.Volumes"] = ["Berth.Oci", "Berth.Linux"],
        ["Berth.Dockerfile"] = [],
        ["Berth.Build"] = ["Berth.Dockerfile", "Berth.Oci"],
        ["Berth.Engine"] = EngineLibraries,
        ["Berth.Api.Models"] = [],
        ["Berth.Api.Server"] = ["Berth.Engine", "Berth.Api.Models"],
        ["Berth.Spdy"] = [],
        ["Berth.Cri"] = ["Berth.Engine", "Berth.Oci", "Berth.Spdy"], // vocabulary: image references
        ["Berth.Registry"] = ["Berth.Distribution"],
        ["Berth.Api.Client"] = ["Berth.Api.Models", "Berth.Dockerfile"], // .dockerignore: the client packs the build context
        ["Berth.Cli"] = ["Berth.Api.Client", "Berth.Compose", "Berth.Api.Models", "Berth.Dockerfile"], // vocabulary: the client's records
        ["Berth.Compose"] = [], // pure: the Compose file loader and model; the CLI does the API calls
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        // Not Berth.Daemon: the composition root may reference anything.
        foreach (var dir in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src")).Order().Where(d => Path.GetFileName(d) != "Berth.Daemon"))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_references_only_what_DESIGN_allows(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out var allowed), $"{project} is not in DESIGN.md's table: add it there and here");
        var csproj = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", project, project + ".csproj"));
        var references = ProjectReference().Matches(csproj).Select(m => m.Groups[1].Value).ToList();
        var forbidden = references.Except(allowed).ToList();
        Assert.True(forbidden.Count == 0, $"{project} references {string.Join(", ", forbidden)}; DESIGN.md allows only: {string.Join(", ", allowed)}");
    }

    [Fact]
    public void Native_calls_live_only_in_Berth_Linux()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => !f.StartsWith(Path.Combine(RepoPaths.Root, "src", "Berth.Linux") + Path.DirectorySeparatorChar))
            .Where(f => NativeImport().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f))
            .ToList();
        Assert.True(offenders.Count == 0, "P/Invoke outside Berth.Linux: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Unsafe_code_is_allowed_only_in_Berth_Linux()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(f => Path.GetFileNameWithoutExtension(f) != "Berth.Linux")
            .Where(f => File.ReadAllText(f).Contains("<AllowUnsafeBlocks>true", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"<ProjectReference\s+Include=""[^""]*?([^""\\/]+)\.csproj""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"\[(LibraryImport|DllImport)\s*\(")]
    private static partial Regex NativeImport();
}
