using Berth.Cli.Templates;
using static Berth.Cli.Tests.Templates.TemplateTestData;

namespace Berth.Cli.Tests.Templates;

/// <summary>Parse and execution errors, worded and positioned as Go's text/template words them.</summary>
public sealed class TemplateErrorTests
{
    [Theory]
    [InlineData("{{.Foo }", "template: :1: unexpected \"}\" in operand")]
    [InlineData("{{.Foo}", "template: :1: bad character U+007D '}'")]
    [InlineData("{{.Foo", "template: :1: unclosed action")]
    [InlineData("{{foo}}", "template: :1: function \"foo\" not defined")]
    [InlineData("{{if}}", "template: :1: missing value for if")]
    [InlineData("x\n{{.A}}\n{{if}}", "template: :3: missing value for if")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("{{else}}", "template: :1: unexpected {{else}}")]
    [InlineData("{{if .A}}", "template: :1: unexpected EOF")]
    [InlineData("{{if 1}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}")]
    [InlineData("{{$y}}", "template: :1: undefined variable \"$y\"")]
    [InlineData("{{range $i, $v := .L}}{{end}}{{$i}}", "template: :1: undefined variable \"$i\"")]
    [InlineData("{{break}}", "template: :1: {{break}} outside {{range}}")]
    [InlineData("{{range .L}}{{break 1}}{{end}}", "template: :1: unexpected \"1\" in {{break}}")]
    [InlineData("{{/* unterminated", "template: :1: unclosed comment")]
    [InlineData("{{ /* c */ }}", "template: :1: unexpected \"/\" in command")]
    [InlineData("{{ \"unterminated }}", "template: :1: unterminated quoted string")]
    [InlineData("{{'ab'}}", "template: :1: malformed character constant: 'ab'")]
    [InlineData("{{\"\\z\"}}", "template: :1: invalid syntax")]
    [InlineData("{{ 1a }}", "template: :1: bad number syntax: \"1a\"")]
    [InlineData("{{.A.}}", "template: :1: unexpected <.> in operand")]
    [InlineData("{{|.A}}", "template: :1: unexpected \"|\" in command")]
    [InlineData("{{true.x}}", "template: :1: unexpected . after term \"true\"")]
    [InlineData("{{ 1 | 2 }}", "template: :1: non executable command in pipeline stage 2")]
    [InlineData("{{ ( }}", "template: :1: unclosed left paren")]
    [InlineData("{{ ) }}", "template: :1: unexpected \")\" in command")]
    [InlineData("{{$a, $b := 1}}", "template: :1: too many declarations in command")]
    [InlineData("{{range $a, 1 := .L}}{{end}}", "template: :1: range can only initialize variables")]
    [InlineData("{{define \"a\"}}A{{end}}{{define \"a\"}}B{{end}}", "template: :1: template: multiple definition of template \"a\"")]
    public void Parse_errors(string template, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => GoTemplate.Parse(template));
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("{{index .L 5}}", "template: :1:2: executing \"\" at <index .L 5>: error calling index: index out of range: 5")]
    [InlineData("{{index .L \"a\"}}", "template: :1:2: executing \"\" at <index .L \"a\">: error calling index: cannot index slice/array with type string")]
    [InlineData("{{index .S 1}}", "template: :1:2: executing \"\" at <index .S 1>: error calling index: value has type int; should be string")]
    [InlineData("{{len 3}}", "template: :1:2: executing \"\" at <len 3>: error calling len: len of type int")]
    [InlineData("{{len}}", "template: :1:2: executing \"\" at <len>: wrong number of args for len: want 1 got 0")]
    [InlineData("{{and}}", "template: :1:2: executing \"\" at <and>: wrong number of args for and: want at least 1 got 0")]
    [InlineData("{{slice .L 2 1}}", "template: :1:2: executing \"\" at <slice .L 2 1>: error calling slice: invalid slice index: 2 > 1")]
    [InlineData("{{slice .A 2}}", "template: :1:2: executing \"\" at <slice .A 2>: error calling slice: index out of range: 2")]
    [InlineData("{{.A.foo}}", "template: :1:4: executing \"\" at <.A.foo>: can't evaluate field foo in type interface {}")]
    [InlineData("{{.Nul.foo}}", "template: :1:6: executing \"\" at <.Nul.foo>: nil pointer evaluating interface {}.foo")]
    [InlineData("a\n\n  {{.A.B.C}}", "template: :3:6: executing \"\" at <.A.B.C>: can't evaluate field B in type interface {}")]
    [InlineData("{{.A 1}}", "template: :1:2: executing \"\" at <.A>: A is not a method but has arguments")]
    [InlineData("{{nil}}", "template: :1:2: executing \"\" at <nil>: nil is not a command")]
    [InlineData("{{. .}}", "template: :1:2: executing \"\" at <.>: can't give argument to non-function .")]
    [InlineData("{{range .A}}x{{end}}", "template: :1:8: executing \"\" at <.A>: range can't iterate over x")]
    [InlineData("{{template \"nope\"}}", "template: :1:11: executing \"\" at <{{template \"nope\"}}>: template \"nope\" not defined")]
    [InlineData("{{eq .L .L}}", "template: :1:2: executing \"\" at <eq .L .L>: error calling eq: non-comparable type [%!s(int=1) %!s(int=2) %!s(int=3)]: []interface {}")]
    [InlineData("{{eq .A 1}}", "template: :1:2: executing \"\" at <eq .A 1>: error calling eq: incompatible types for comparison")]
    [InlineData("{{lt true false}}", "template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid type for comparison")]
    [InlineData("{{lower .N}}", "template: :1:8: executing \"\" at <.N>: wrong type for value; expected string; got int")]
    [InlineData("{{define \"a\"}}{{.x}}{{end}}{{template \"a\" 1}}", "template: :1:16: executing \"a\" at <.x>: can't evaluate field x in type int")]
    public void Execution_errors(string template, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => RenderJson(template, SampleJson));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_missing_field_of_a_computed_context_is_an_error()
    {
        var row = new FakeContainerRow("abc", "nginx", "web", []);
        var error = Assert.Throws<TemplateException>(() => Render("{{.ID}} {{.Foo}}", row));
        Assert.Equal("template: :1:10: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext", error.Message);
        error = Assert.Throws<TemplateException>(() => Render("{{.ID \"x\"}}", row));
        Assert.Equal("template: :1:2: executing \"\" at <.ID>: ID has arguments but cannot be invoked as function", error.Message);
    }
}
