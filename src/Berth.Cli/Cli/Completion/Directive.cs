namespace Berth.Cli.Cli.Completion;

/// <summary>
/// cobra's <c>ShellCompDirective</c> bits, the <c>:N</c> line that ends a <c>__complete</c> answer; the generated
/// scripts read them, so the values are cobra's.
/// </summary>
[Flags]
internal enum Directive
{
    /// <summary>Candidates as given; none means the shell completes file names.</summary>
    Default = 0,

    /// <summary>Something failed: the shell offers nothing.</summary>
    Error = 1,
    NoSpace = 2,

    /// <summary>No file names when there are no candidates.</summary>
    NoFileComp = 4,
    FilterFileExt = 8,
    FilterDirs = 16,
    KeepOrder = 32,
}

internal static class Directives
{
    /// <summary>cobra's names for a directive, as its debug line on stderr prints them.</summary>
    public static string Describe(Directive directive)
    {
        if (directive == Directive.Default)
            return "ShellCompDirectiveDefault";
        return string.Join(", ", Enum.GetValues<Directive>().Where(d => d != Directive.Default && directive.HasFlag(d)).Select(d => "ShellCompDirective" + d));
    }
}
