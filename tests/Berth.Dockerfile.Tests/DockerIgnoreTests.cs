namespace Berth.Dockerfile.Tests;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("somedir/temporary.txt", true)]
    [InlineData("somedir/temp", true)]
    [InlineData("somedir/temp/inside.txt", true)]
    [InlineData("somedir/subdir/temporary.txt", true)]
    [InlineData("tempa", true)]
    [InlineData("temp", false)]
    [InlineData("temporary.txt", false)]
    [InlineData("a/b/c/temporary.txt", false)]
    public void The_documented_example_excludes_what_the_reference_says(string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse("# comment\n*/temp*\n*/*/temp*\ntemp?\n");

        Assert.Equal(excluded, ignore.Excludes(path));
    }

    [Theory]
    [InlineData("main.go", true)]
    [InlineData("cmd/tool/main.go", true)]
    [InlineData("main.golden", false)]
    public void Double_star_crosses_directories(string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse("**/*.go").Excludes(path));

    [Fact]
    public void An_exception_re_includes_and_the_last_matching_line_wins()
    {
        var readme = DockerIgnore.Parse("*.md\n!README.md");
        var secretExcluded = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md");
        var secretIncluded = DockerIgnore.Parse("*.md\nREADME-secret.md\n!README*.md");

        Assert.True(readme.Excludes("CHANGES.md"));
        Assert.False(readme.Excludes("README.md"));
        Assert.True(secretExcluded.Excludes("README-secret.md"));
        Assert.False(secretExcluded.Excludes("README-public.md"));
        Assert.False(secretIncluded.Excludes("README-secret.md"));
    }

    [Fact]
    public void Patterns_are_cleaned_and_lose_their_leading_slash()
    {
        var ignore = DockerIgnore.Parse("  /build/  \n./out/../dist\n#comment\n\n! /build/keep ");

        Assert.Equal(["build", "dist", "!build/keep"], ignore.Patterns);
        Assert.True(ignore.Excludes("build/x.o"));
        Assert.True(ignore.Excludes("dist"));
        Assert.False(ignore.Excludes("build/keep"));
    }

    [Fact]
    public void Character_classes_question_marks_and_escapes_match_one_character()
    {
        var ignore = DockerIgnore.Parse("file[0-9].txt\nx?z\nstar\\*");

        Assert.True(ignore.Excludes("file7.txt"));
        Assert.False(ignore.Excludes("fileA.txt"));
        Assert.True(ignore.Excludes("xyz"));
        Assert.False(ignore.Excludes("x/z"));
        Assert.True(ignore.Excludes("star*"));
        Assert.False(ignore.Excludes("starry"));
    }

    [Fact]
    public void A_trailing_double_star_excludes_everything_below()
    {
        var ignore = DockerIgnore.Parse("node_modules/**");

        Assert.True(ignore.Excludes("node_modules/a/b.js"));
        Assert.False(ignore.Excludes("src/node_modules.txt"));
    }

    [Fact]
    public void The_context_root_is_never_excluded() => Assert.False(DockerIgnore.Parse("*\n**").Excludes("."));

    [Fact]
    public void A_walker_descends_into_an_excluded_directory_only_for_an_exception_below_it()
    {
        var ignore = DockerIgnore.Parse("vendor\nbuild\n!build/keep.txt\ndocs\n!**/*.md");

        Assert.False(ignore.MayIncludeUnder("vendor"));
        Assert.True(ignore.MayIncludeUnder("build"));
        Assert.True(ignore.MayIncludeUnder("src"));
        Assert.False(ignore.Excludes("build/keep.txt"));
        // Docker's shortcut: an exception that does not start with the directory's path does not reopen it.
        Assert.False(ignore.MayIncludeUnder("docs"));
    }

    [Fact]
    public void Keeping_adds_an_exception_only_for_an_excluded_path()
    {
        var ignore = DockerIgnore.Parse("*\n");

        Assert.False(ignore.Keeping("Dockerfile").Excludes("Dockerfile"));
        Assert.True(ignore.Keeping("Dockerfile").Excludes("other"));
        Assert.Same(DockerIgnore.Empty, DockerIgnore.Empty.Keeping("Dockerfile"));
    }

    [Theory]
    [InlineData("!", "illegal exclusion pattern: \"!\"")]
    [InlineData("[", "syntax error in pattern")]
    public void Bad_patterns_are_refused(string content, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => DockerIgnore.Parse(content)).Message);
}
