using System.Text.RegularExpressions;
using Berth.Testing;

namespace Berth.Architecture.Tests;

/// <summary>
/// The arrows checked on the code itself: a project's files may name (in <c>using</c> directives and fully qualified
/// names) only its own namespaces and those of the projects DESIGN.md lets it reference directly. A type reachable
/// through a transitive reference does not count as allowed: Api.Server sees Berth.Images types through Engine's
/// reference, and must still not name them.
/// </summary>
public sealed partial class DependencyRulesTests
{
    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_code_uses_only_the_namespaces_DESIGN_allows(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out var allowed), $"{project} is not in DESIGN.md's table: add it there and here");
        var projectDirectory = Path.Combine(RepoPaths.Root, "src", project);
        var offences = SourceFiles(projectDirectory)
            .SelectMany(file => NamespacesUsed(File.ReadAllText(file)).Select(use => (file, use.Line, use.Namespace)))
            .Select(use => (use.file, use.Line, use.Namespace, Owner: OwnerOf(use.Namespace)))
            .Where(use => use.Owner != project && !allowed.Contains(use.Owner))
            .Select(use => $"{Path.GetRelativePath(RepoPaths.Root, use.file)}:{use.Line} uses {use.Namespace}"
                           + (use.Owner is null ? ", which no project of DESIGN.md owns" : $" ({use.Owner})"))
            .ToList();
        Assert.True(offences.Count == 0,
            $"{project} may use only its own namespaces and those of {string.Join(", ", allowed)}:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Namespaces_are_found_in_code_and_not_in_comments_or_strings()
    {
        const string source = """"
            using System.Text;
            using Berth.Engine.Images;
            using W = Berth.Api.Models.Images;
            global using static Berth.Oci.Image.MediaTypes;
            namespace Berth.Api.Server.Images;
            // using Berth.Images;
            /* Berth.Distribution.Client */
            /// <see cref="Berth.Content.IContentStore"/>
            class C
            {
                string a = "Berth.Snapshots.Layer";
                string b = @"Berth.Runtime ""Berth.Linux""";
                string c = $"{Berth.Network.Ipam.Pool.Name} Berth.Volumes {{Berth.Shim}}";
                string d = $@"{global::Berth.Registry.Host.Name:N2} ""Berth.Cli""";
                string e = $"{(x ? "Berth.Compose" : "y")}";
                char f = '"'; object g = Berth.Build.Dockerfile.Parse(f);
                string h = """
                    Berth.Api.Client
                    """;
                System.Linq.Enumerable.Empty<int>(); Berth.Runtime.Cli.Program.Main();
            }
            """";
        var used = NamespacesUsed(source).ToList();
        Assert.Equal(
            ["Berth.Engine.Images", "Berth.Api.Models.Images", "Berth.Oci.Image.MediaTypes", "Berth.Api.Server.Images", "Berth.Network.Ipam.Pool.Name",
             "Berth.Registry.Host.Name", "Berth.Build.Dockerfile.Parse", "Berth.Runtime.Cli.Program.Main"],
            used.Select(u => u.Namespace));
        Assert.Equal([2, 3, 4, 5, 13, 14, 16, 20], used.Select(u => u.Line));
        Assert.Equal(["Berth.Engine", "Berth.Api.Models", "Berth.Oci", "Berth.Api.Server", "Berth.Network", "Berth.Registry", "Berth.Build", "Berth.Runtime.Cli"],
            used.Select(u => OwnerOf(u.Namespace)));
    }

    private static IEnumerable<string> SourceFiles(string projectDirectory)
    {
        var skipped = new[] { "obj", "bin" }.Select(d => Path.Combine(projectDirectory, d) + Path.DirectorySeparatorChar).ToList();
        return Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !skipped.Any(s => f.StartsWith(s, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>Every <c>Berth.…</c> name written in code (usings, namespace declarations, qualified names), with its line.</summary>
    private static IEnumerable<(int Line, string Namespace)> NamespacesUsed(string source)
    {
        var code = CSharpCode.Blank(source);
        foreach (Match match in QualifiedBerthName().Matches(code))
            yield return (code.AsSpan(0, match.Index).Count('\n') + 1, match.Groups[1].Value);
    }

    /// <summary>The project a namespace belongs to: the longest project name it starts with (Berth.Runtime.Cli before Berth.Runtime).</summary>
    private static string? OwnerOf(string name) =>
        Projects.Value.Where(p => name == p || name.StartsWith(p + ".", StringComparison.Ordinal)).MaxBy(p => p.Length);

    /// <summary>The projects of DESIGN.md's table and of src/ (the composition root included); lazy, as
    /// <see cref="Allowed"/> is initialised in the other part of this class.</summary>
    private static readonly Lazy<string[]> Projects =
        new(() => [.. Allowed.Keys.Union(Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src")).Select(d => Path.GetFileName(d)!))]);

    // "Berth" as a whole word, not a member (x.Berth) nor part of a longer name, then at least one ".Name".
    [GeneratedRegex(@"(?<![\w.@])(?:global::)?(Berth(?:\.[A-Za-z_]\w*)+)")]
    private static partial Regex QualifiedBerthName();
}
