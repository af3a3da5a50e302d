using Berth.Cli.Templates;
using static Berth.Cli.Tests.Templates.TemplateTestData;

namespace Berth.Cli.Tests.Templates;

/// <summary>Go's builtin functions and docker's additions, with the output each gives.</summary>
public sealed class TemplateFunctionTests
{
    [Theory]
    [InlineData("{{len .M}} {{len .A}} {{len .L}} {{len \"héllo\"}}", "2 1 3 6")]
    [InlineData("{{index .L 1}} {{index .S \"T\" \"U\"}} {{index .M \"a\" 1}}", "2 deep s")]
    [InlineData("{{index .M \"zz\"}}", "<no value>")]
    [InlineData("{{index \"abc\" 1}}", "98")]
    [InlineData("{{slice .L 1 2}} {{slice .L 1}} {{slice .L 0 1 2}} {{slice .A 0 1}} {{slice \"héllo\" 1 3}}", "[2] [2 3] [1] x é")]
    [InlineData("{{not .E}} {{and 1 0}} {{or 0 \"\" \"z\"}} {{and 1 2 3}} {{or 0 0}} {{not nil}}", "true 0 z 3 0 true")]
    [InlineData("{{1 | and 2}} {{0 | or 5}} {{0 | and 5}}", "1 5 0")]
    [InlineData("{{and 0 .Missing.x.y}} {{or 1 (index .L 99)}}", "0 1")]
    [InlineData("{{eq .A \"y\" \"x\"}} {{eq .N 1234}} {{ne 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1 2}} {{lt 1.5 2}}", "true true true true true false true")]
    [InlineData("{{eq .Nul nil}} {{eq .Missing nil}} {{eq .Missing \"a\"}} {{eq 1 1.0}}", "true true false true")]
    [InlineData("{{print 1 2 \"a\" \"b\" 3}}|{{print \"a\" 1 2 \"b\"}}|{{print}}", "1 2ab3|a1 2b|")]
    [InlineData("{{println 1 \"a\" 2.5 true nil}}", "1 a 2.5 true <nil>\n")]
    [InlineData("{{html \"<a&b>\\\"'\"}}", "&lt;a&amp;b&gt;&#34;&#39;")]
    [InlineData("{{js \"a\\\"b<\"}} {{js \"é\\u2028<>&'\\\\=\"}}", "a\\\"b\\u003C é\\u2028\\u003C\\u003E\\u0026\\'\\\\\\u003D")]
    [InlineData("{{urlquery \"a b&c\"}} {{urlquery \"é/ ~_.-\"}}", "a+b%26c %C3%A9%2F+~_.-")]
    [InlineData("{{html .L}}", "[1 2 3]")]
    public void Builtins(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));

    [Theory]
    [InlineData("{{json .Config}}", """{"Labels":{"com.x":"y","a.b":"c"},"Env":["A=1","B=<2>"],"Cmd":null,"Image":"nginx:latest"}""")]
    [InlineData("{{json .State.Pid}} {{json .Name}} {{json .Args}} {{json .Nope}}", """1234 "/web" ["-g","daemon off;"] null""")]
    [InlineData("{{join .Args \",\"}}", "-g,daemon off;")]
    [InlineData("{{join (split \"a:b:c\" \":\") \"-\"}} {{split \"a,b\" \",\"}} {{len (split \"\" \",\")}}", "a-b-c [a b] 1")]
    [InlineData("{{lower \"NgInX\"}} {{upper .Name}} {{title \"hello wörld-x_y\"}}", "nginx /WEB Hello Wörld-X_y")]
    [InlineData("[{{pad \"x\" 2 1}}] [{{pad \"\" 2 1}}]", "[  x ] []")]
    [InlineData("{{truncate \"abcdef\" 3}} {{truncate \"ab\" 3}} {{truncate .Id 4}}", "abc ab 4f66")]
    public void Docker_functions(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, ContainerJson));

    [Fact]
    public void Json_writes_what_encoding_json_writes()
    {
        var data = new Dictionary<string, object?>
        {
            ["b"] = 1.5,
            ["a"] = "<x>&\u2028\n\u0001",
            ["c"] = new object?[] { null, true, 1e21, 1e-7, 123456789.0, 0.000001, 42L },
        };
        Assert.Equal("""{"a":"<x>&\u2028\n\u0001","b":1.5,"c":[null,true,1e+21,1e-7,123456789,0.000001,42]}""",
            Render("{{json .}}", data));
    }

    [Fact]
    public void Extra_functions_are_callable_and_may_replace_builtins()
    {
        var extra = new Dictionary<string, Func<IReadOnlyList<object?>, object?>>
        {
            ["shout"] = args => ((string)args[0]!).ToUpperInvariant() + "!",
            ["len"] = _ => 42L,
        };
        Assert.Equal("HI! 42", GoTemplate.Parse("{{shout \"hi\"}} {{len .}}", extra).Render("x"));
    }
}
