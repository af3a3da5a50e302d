using System.Text.Json.Nodes;
using static Berth.Cli.Tests.Templates.TemplateTestData;

namespace Berth.Cli.Tests.Templates;

/// <summary>Actions, trimming, literals, variables and control structures, with the output Go gives.</summary>
public sealed class TemplateSyntaxTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("{{.A}}", "x")]
    [InlineData("{{ .A }}", "x")]
    [InlineData("{{.S.T.U}}", "deep")]
    [InlineData("{{$.S.T.U}}", "deep")]
    [InlineData("{{(.S).T.U}} {{(index .S \"T\").U}}", "deep deep")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{.X.Y.Z}}", "<no value>")]
    [InlineData("{{.Nul}}", "<no value>")]
    [InlineData("{{$x := .Nul}}{{$x}}", "<no value>")]
    [InlineData("{{.Nul | printf \"%v\"}}", "<nil>")]
    [InlineData("{{print nil}} {{print .Nul}} {{print .Missing}}", "<nil> <nil> <nil>")]
    public void Fields_and_missing_values(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Theory]
    [InlineData("a  {{- /* c */ -}}  b", "ab")]
    [InlineData("a {{- 1 -}} b", "a1b")]
    [InlineData("a \n{{- \"b\" -}}\n c", "abc")]
    [InlineData("{{-3}}", "-3")]
    [InlineData("{{- 3}}", "3")]
    [InlineData("{{/* no trim */}}  x", "  x")]
    [InlineData("  {{/* right only */ -}}  x", "  x")]
    [InlineData("{{/*multi\nline*/}}y", "y")]
    [InlineData("{{- /* c */ -}}", "")]
    public void Trim_markers_and_comments(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Theory]
    [InlineData("{{\"\\t\\x41\\u00e9\\101\\n\"}}", "\tAéA\n")]
    [InlineData("{{`raw\\n`}}", "raw\\n")]
    [InlineData("{{'a'}} {{'\\n'}} {{'☃'}}", "97 10 9731")]
    [InlineData("{{0x1F}} {{1e3}} {{1.0}} {{-5}} {{1_000}} {{0b101}} {{0o17}} {{017}} {{.5}} {{+3}}", "31 1000 1 -5 1000 5 15 15 0.5 3")]
    [InlineData("{{true}} {{false}}", "true false")]
    [InlineData("{{1.5e300}} {{0.000012}} {{123456789.0}} {{100000.0}} {{1000000.0}} {{-0.5}}", "1.5e+300 1.2e-05 1.23456789e+08 100000 1e+06 -0.5")]
    public void Literals_print_as_go_constants(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Theory]
    [InlineData("{{$x := .A}}{{$x}}", "x")]
    [InlineData("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2")]
    [InlineData("{{$x := 1}}{{if true}}{{$x := 2}}{{end}}{{$x}}", "1")]
    [InlineData("{{$x := 1}}{{with $x := 2}}{{$x}}{{end}}{{$x}}", "21")]
    [InlineData("{{$x := 1}}{{range .L}}{{$x = .}}{{end}}{{$x}}", "3")]
    [InlineData("{{$x := .}}{{$x.A}}{{$x.S.T.U}}", "xdeep")]
    [InlineData("{{$x := .Nul}}{{$x.y}}", "<no value>")]
    [InlineData("{{$n := len .L}}{{$n}}", "3")]
    [InlineData("{{.A | printf \"%s-%s\" \"p\"}}", "p-x")]
    [InlineData("{{3 | printf \"%d-%d\" 4}}", "4-3")]
    [InlineData("{{(1)}} {{(printf \"%d\" 2)}}", "1 2")]
    [InlineData("{{\"a\" | len}}", "1")]
    public void Variables_and_pipelines(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Theory]
    [InlineData("{{if .A}}a{{else if .B}}b{{else}}c{{end}}", "a")]
    [InlineData("{{if .Missing}}a{{else if .Nul}}b{{else}}c{{end}}", "c")]
    [InlineData("{{if .Missing}}a{{else if .A}}b{{else}}c{{end}}", "b")]
    [InlineData("{{if and .A (not .Missing)}}ok{{end}}", "ok")]
    [InlineData("{{if .E}}y{{else}}n{{end}}{{if .EL}}y{{else}}n{{end}}{{if .L}}y{{end}}{{if 0}}y{{else}}n{{end}}", "nnyn")]
    [InlineData("{{with .E}}y{{else}}n{{end}}", "n")]
    [InlineData("{{with .S.T}}{{.U}}{{end}}", "deep")]
    [InlineData("{{with $x := .S.T}}{{$x.U}}{{end}}", "deep")]
    [InlineData("{{with .Missing}}a{{else with .A}}b{{.}}{{end}}", "bx")]
    public void If_and_with(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Theory]
    [InlineData("{{range .L}}{{.}}{{end}}", "123")]
    [InlineData("{{range $i, $v := .L}}{{$i}}{{$v}}{{else}}none{{end}}", "011223")]
    [InlineData("{{range $v := .L}}{{$v}}{{end}}", "123")]
    [InlineData("{{range .EL}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .Missing}}x{{else}}e{{end}}", "e")]
    [InlineData("{{range .Nul}}x{{else}}e{{end}}", "e")]
    [InlineData("{{range $k, $v := .M}}{{$k}}={{$v}};{{end}}", "a=[1 s <nil>];b=1;")]
    [InlineData("{{range .M.a}}[{{.}}]{{end}}", "[1][s][<no value>]")]
    [InlineData("{{range .LM}}{{.Name}}:{{.V}} {{end}}", "n1:true n2:false ")]
    [InlineData("{{range $i, $e := .L}}{{if $i}}, {{end}}{{$e}}{{end}}", "1, 2, 3")]
    [InlineData("{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", "13")]
    [InlineData("{{range .L}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", "1")]
    [InlineData("{{range .L}}{{.}}{{break}}{{end}}", "1")]
    [InlineData("{{range .L}}{{continue}}{{.}}{{end}}done", "done")]
    [InlineData("{{range $i, $v := .L}}{{range $j, $w := $.L}}{{if eq $j 1}}{{break}}{{end}}{{$i}}{{$j}} {{end}}{{end}}", "00 10 20 ")]
    public void Range(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Fact]
    public void Range_over_a_map_visits_keys_in_sorted_order()
    {
        var data = Json("""{"Labels":{"zeta":"1","alpha":"2","Mid":"3"}}""");
        Assert.Equal("Mid=3;alpha=2;zeta=1;", Render("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", data));
    }

    [Theory]
    [InlineData("{{define \"x\"}}X{{.}}{{end}}{{template \"x\" .A}}", "Xx")]
    [InlineData("{{block \"b\" .N}}B{{.}}{{end}}", "B1234")]
    [InlineData("{{template \"a\"}}{{define \"a\"}}A{{.}}{{end}}", "A<no value>")]
    [InlineData("{{define \"T\"}}[{{.}}]{{end}}{{range .L}}{{template \"T\" .}}{{end}}", "[1][2][3]")]
    [InlineData("{{define \"a\"}}A{{end}}{{define \"a\"}}{{end}}{{template \"a\"}}", "A")]
    [InlineData("{{define \"a\"}} {{end}}{{define \"a\"}}B{{end}}{{template \"a\"}}", "B")]
    public void Define_template_and_block(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Fact]
    public void Dictionaries_lists_and_json_nodes_are_data_too()
    {
        var dictionary = new Dictionary<string, object?> { ["b"] = 2, ["a"] = new[] { "x", "y" }, ["n"] = null };
        Assert.Equal("map[a:[x y] b:2 n:<nil>] 2 <no value> [x y]", Render("{{.}} {{.b}} {{.c}} {{.a}}", dictionary));
        var node = JsonNode.Parse("""{"State":{"Status":"exited","ExitCode":137},"List":[1.5,"s"]}""");
        Assert.Equal("exited 137 [1.5 s]", Render("{{.State.Status}} {{.State.ExitCode}} {{.List}}", node));
    }

    [Fact]
    public void Execute_writes_to_the_writer()
    {
        var writer = new StringWriter();
        Berth.Cli.Templates.GoTemplate.Parse("{{.}}!").Execute(writer, "hi");
        Assert.Equal("hi!", writer.ToString());
    }
}
