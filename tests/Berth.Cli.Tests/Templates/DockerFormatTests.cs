using Berth.Cli.Templates;
using static Berth.Cli.Tests.Templates.TemplateTestData;

namespace Berth.Cli.Tests.Templates;

/// <summary>The --format values docker users type, over inspect JSON and over ps-like rows.</summary>
public sealed class DockerFormatTests
{
    [Theory]
    [InlineData("{{.State.Status}}", "running")]
    [InlineData("{{.State.Pid}} {{.State.Running}}", "1234 true")]
    [InlineData("{{index .Config.Labels \"a.b\"}}", "c")]
    [InlineData("{{range .Mounts}}{{.Destination}} {{end}}", "/data /logs ")]
    [InlineData("{{range .Mounts}}{{.Source}}:{{.Destination}}{{\"\\n\"}}{{end}}", "/srv/data:/data\n/srv/logs:/logs\n")]
    [InlineData("{{join .Args \",\"}}", "-g,daemon off;")]
    [InlineData("{{lower .Config.Image}} {{upper .Name}}", "nginx:latest /WEB")]
    [InlineData("{{printf \"%-10s|\" .Name}}", "/web      |")]
    [InlineData("{{if eq .State.Status \"running\"}}up{{else}}down{{end}}", "up")]
    [InlineData("{{if ne .State.ExitCode 0}}failed{{else}}ok{{end}}", "ok")]
    [InlineData("{{- /* c */ -}} {{.Id}}", "4f66ad9a0b2e")]
    [InlineData("{{$x := .State}}{{$x.Status}}", "running")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a.b=c;com.x=y;")]
    [InlineData("{{.NetworkSettings.Networks}}", "map[bridge:map[Gateway:172.17.0.1 IPAddress:172.17.0.2]]")]
    [InlineData("{{range $name, $net := .NetworkSettings.Networks}}{{$name}} {{$net.IPAddress}}{{end}}", "bridge 172.17.0.2")]
    [InlineData("{{.NetworkSettings.Networks.bridge.IPAddress}}", "172.17.0.2")]
    [InlineData("{{json .Mounts}}", """[{"Source":"/srv/data","Destination":"/data"},{"Source":"/srv/logs","Destination":"/logs"}]""")]
    [InlineData("{{.Config.Env}} {{len .Config.Env}}", "[A=1 B=<2>] 2")]
    [InlineData("{{.Config.Cmd}}", "<no value>")]
    public void Inspect_formats(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, ContainerJson));

    [Fact]
    public void Indexing_a_missing_label_gives_the_empty_string_as_on_docker()
    {
        // docker's Labels is a map[string]string: a missing key, or no labels at all, is "".
        Assert.Equal("[]", RenderJson("[{{index .Config.Labels \"nope\"}}]", ContainerJson));
        Assert.Equal("[]", RenderJson("[{{index .Config.Labels \"nope\"}}]", """{"Config":{"Labels":null}}"""));
        Assert.Equal("[<no value>]", RenderJson("[{{.Config.Labels.nope}}]", ContainerJson));
    }

    [Fact]
    public void Rows_render_one_line_each()
    {
        var output = new StringWriter();
        FormattedOutput.Write(output, @"{{.ID}}\t{{.Names}}", Rows(), new FakeContainerHeaders());
        Assert.Equal("abc123\tweb\ndef\tcache-server-long-name\n", output.ToString());
    }

    [Fact]
    public void A_table_has_a_header_and_aligned_columns()
    {
        var output = new StringWriter();
        FormattedOutput.Write(output, @"table {{.ID}}\t{{.Image}}\t{{.Names}}", Rows(), new FakeContainerHeaders());
        Assert.Equal(
            "CONTAINER ID   IMAGE          NAMES\n" +
            "abc123         nginx:latest   web\n" +
            "def            redis          cache-server-long-name\n",
            output.ToString());
    }

    [Fact]
    public void A_table_header_keeps_its_text_through_docker_functions_and_methods()
    {
        var output = new StringWriter();
        FormattedOutput.Write(output, @"table {{lower .ID}}\t{{.Label ""com.x""}}\t{{truncate .Image 3}}", Rows(), new FakeContainerHeaders());
        Assert.Equal(
            "CONTAINER ID   LABEL     IMAGE\n" +
            "abc123         y         ngi\n" +
            "def                      red\n",
            output.ToString());
    }

    [Fact]
    public void An_empty_table_still_has_its_header()
    {
        var output = new StringWriter();
        FormattedOutput.Write(output, "table {{.ID}}", [], new FakeContainerHeaders());
        Assert.Equal("CONTAINER ID\n", output.ToString());
    }

    [Fact]
    public void Json_alone_is_each_row_as_json_with_sorted_keys()
    {
        var output = new StringWriter();
        FormattedOutput.Write(output, "json", Rows()[..1], new FakeContainerHeaders());
        Assert.Equal("""{"ID":"abc123","Image":"nginx:latest","Labels":"com.x=y","Names":"web"}""" + "\n", output.ToString());
        Assert.Equal("{{json .}}", FormatDirective.Parse("json").Template);
    }

    [Fact]
    public void A_template_error_is_reported_as_docker_reports_it()
    {
        var error = Assert.Throws<TemplateException>(() =>
            FormattedOutput.Write(new StringWriter(), "{{.Nope}}", Rows(), new FakeContainerHeaders()));
        Assert.Equal(
            "template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.ContainerContext",
            error.Message);
        error = Assert.Throws<TemplateException>(() =>
            FormattedOutput.Write(new StringWriter(), "{{.ID", Rows(), new FakeContainerHeaders()));
        Assert.Equal("template parsing error: template: :1: unclosed action", error.Message);
    }

    [Theory]
    [InlineData("table {{.ID}}", true, "{{.ID}}")]
    [InlineData(@"table {{.ID}}\t{{.Names}}", true, "{{.ID}}\t{{.Names}}")]
    [InlineData(@"  {{.ID}}\n ", false, "{{.ID}}\n")]
    [InlineData("json", false, "{{json .}}")]
    [InlineData("{{json .}}", false, "{{json .}}")]
    public void Directives(string format, bool isTable, string template)
    {
        var directive = FormatDirective.Parse(format);
        Assert.Equal(isTable, directive.IsTable);
        Assert.Equal(template, directive.Template);
    }

    private static object?[] Rows() =>
    [
        new FakeContainerRow("abc123", "nginx:latest", "web", new() { ["com.x"] = "y" }),
        new FakeContainerRow("def", "redis", "cache-server-long-name", []),
    ];
}
