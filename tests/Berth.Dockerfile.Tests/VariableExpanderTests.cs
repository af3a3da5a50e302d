namespace Berth.Dockerfile.Tests;

public sealed class VariableExpanderTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["HOME"] = "/root", ["EMPTY"] = "", ["SPACED"] = "a  b", ["FILE"] = "archive.tar.gz", ["PATHS"] = "/a/b/a/b",
    };

    private static string Expand(string word, char escape = '\\') => new VariableExpander(escape).Expand(word, Variables);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("$HOME/bin", "/root/bin")]
    [InlineData("${HOME}bin", "/rootbin")]
    [InlineData("$UNSET", "")]
    [InlineData("a$", "a$")]
    [InlineData("$.", "$.")]
    [InlineData("$1x", "x")]
    [InlineData("$@x", "x")]
    [InlineData("${HOME:-x}", "/root")]
    [InlineData("${UNSET:-x}", "x")]
    [InlineData("${EMPTY:-x}", "x")]
    [InlineData("${EMPTY-x}", "")]
    [InlineData("${UNSET-x}", "x")]
    [InlineData("${HOME:+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    [InlineData("${EMPTY+set}", "set")]
    [InlineData("${UNSET+set}", "")]
    [InlineData("${UNSET:-${HOME:-y}}", "/root")]
    [InlineData("${UNSET:-\\$HOME}", "$HOME")]
    [InlineData("${HOME?}", "/root")]
    [InlineData("${EMPTY?}", "")]
    [InlineData("${HOME}}", "/root}")]
    [InlineData("${UNSET:-a {b}", "a {b")]
    public void Expands_variables_and_their_default_forms(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    [InlineData("${FILE#*.}", "tar.gz")]
    [InlineData("${FILE##*.}", "gz")]
    [InlineData("${FILE%.*}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${FILE#nomatch}", "archive.tar.gz")]
    [InlineData("${PATHS/a/x}", "/x/b/a/b")]
    [InlineData("${PATHS//a/x}", "/x/b/x/b")]
    [InlineData("${PATHS//\\//_}", "_a_b_a_b")]
    [InlineData("${FILE/ar?/X}", "Xhive.tar.gz")]
    [InlineData("${UNSET#x}", "")]
    public void Expands_the_pattern_forms(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Theory]
    [InlineData("'$HOME'", "$HOME")]
    [InlineData("\"$HOME\"", "/root")]
    [InlineData("he'll'o", "hello")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("'a\\b'", "a\\b")]
    [InlineData("\\$HOME", "$HOME")]
    [InlineData("\\\\$HOME", "\\/root")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\tb\"", "a\\tb")]
    [InlineData("a\\tb", "atb")]
    [InlineData("trailing\\", "trailing")]
    [InlineData("\"$SPACED\"", "a  b")]
    [InlineData("$SPACED", "a  b")]
    public void Removes_quotes_and_escapes_as_the_shell_does(string word, string expected) => Assert.Equal(expected, Expand(word));

    [Fact]
    public void A_backtick_escape_token_escapes_and_backslashes_are_literal()
    {
        Assert.Equal("C:\\dir\\/root", Expand("C:\\dir\\$HOME", '`'));
        Assert.Equal("$HOME", Expand("`$HOME", '`'));
    }

    [Theory]
    [InlineData("${UNSET:?}", "failed to process \"${UNSET:?}\": UNSET: is not allowed to be unset")]
    [InlineData("${EMPTY:?}", "failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty")]
    [InlineData("${UNSET?need $HOME}", "failed to process \"${UNSET?need $HOME}\": UNSET: need /root")]
    [InlineData("${HOME:-x", "failed to process \"${HOME:-x\": syntax error: missing '}'")]
    [InlineData("${}", "failed to process \"${}\": syntax error: bad substitution")]
    [InlineData("${:-x}", "failed to process \"${:-x}\": syntax error: bad substitution")]
    [InlineData("${HOME:=x}", "failed to process \"${HOME:=x}\": unsupported modifier (:=) in substitution")]
    [InlineData("${HOME:#x}", "failed to process \"${HOME:#x}\": unsupported modifier (:#) in substitution")]
    [InlineData("'open", "failed to process \"'open\": unexpected end of statement while looking for matching single-quote")]
    [InlineData("\"open", "failed to process \"\"open\": unexpected end of statement while looking for matching double-quote")]
    public void Errors_use_dockers_words_and_leave_the_line_to_the_caller(string word, string message)
    {
        var error = Assert.Throws<DockerfileException>(() => Expand(word));
        Assert.Equal(message, error.Message);
        Assert.Equal(0, error.Line);
    }

    [Theory]
    [InlineData("a b", "a|b")]
    [InlineData("$SPACED c", "a|b|c")]
    [InlineData("\"$SPACED\" c", "a  b|c")]
    [InlineData("x\\ y", "x y")]
    [InlineData("'' z", "z")]
    [InlineData("  lead  trail  ", "lead|trail")]
    public void ExpandWords_splits_after_expansion_but_not_inside_quotes(string text, string expected) =>
        Assert.Equal(expected, string.Join('|', new VariableExpander('\\').ExpandWords(text, Variables)));

    [Fact]
    public void A_heredoc_body_expands_variables_but_keeps_its_quotes() =>
        Assert.Equal("home='/root' \"a  b\" $HOME\n", VariableExpander.ExpandHeredoc("home='$HOME' \"$SPACED\" \\$HOME\n", Variables));
}
