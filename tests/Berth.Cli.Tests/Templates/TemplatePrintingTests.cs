using static Berth.Cli.Tests.Templates.TemplateTestData;

namespace Berth.Cli.Tests.Templates;

/// <summary>How values print: Go's %v for every kind, and printf's verbs.</summary>
public sealed class TemplatePrintingTests
{
    [Fact]
    public void Values_print_as_go_prints_them()
    {
        Assert.Equal("x <no value> 1234 1.5 map[a:[1 s <nil>] b:1] [1 2 3] <no value>",
            RenderJson("{{.A}} {{.Missing}} {{.N}} {{.F}} {{.M}} {{.L}} {{.Nul}}", SampleJson));
        Assert.Equal("map[T:map[U:deep]]", RenderJson("{{.S}}", SampleJson));
        Assert.Equal("map[bridge:map[Gateway:172.17.0.1 IPAddress:172.17.0.2]]", RenderJson("{{.NetworkSettings.Networks}}", ContainerJson));
    }

    [Theory]
    [InlineData(1234.0, "1234")]
    [InlineData(1.5, "1.5")]
    [InlineData(1.7e9, "1.7e+09")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.1, "0.1")]
    [InlineData(-0.0, "-0")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NaN, "NaN")]
    public void A_float64_prints_its_shortest_form_with_an_exponent_from_1e6_or_under_1e_minus_4(double value, string expected) =>
        Assert.Equal(expected, Render("{{.}}", value));

    [Fact]
    public void Json_integers_print_as_the_integers_docker_structs_hold()
    {
        // docker executes inspect templates on typed structs, where SizeRw is an int64.
        Assert.Equal("1700000000 1234 0", RenderJson("{{.SizeRw}} {{.State.Pid}} {{.State.ExitCode}}", ContainerJson));
        Assert.Equal("1.5 1e+21", RenderJson("{{.a}} {{.b}}", """{"a":1.5,"b":1e21}"""));
        Assert.Equal("7 true", Render("{{.}} {{true}}", 7));
    }

    [Theory]
    [InlineData("{{printf \"%v|%d|%s|%q|%x\" 1234 1234 \"x\" \"x\" \"x\"}}", "1234|1234|x|\"x\"|78")]
    [InlineData("{{printf \"%5.2f|%-6s|%6s|%t\" 1.5 \"x\" \"x\" true}}", " 1.50|x     |     x|true")]
    [InlineData("{{printf \"%-10s|\" \"web\"}}", "web       |")]
    [InlineData("{{printf \"%+d|%05d|%x|%X|%o|%b|%e|%g|%8.3f|%-8.2f|\" 5 42 255 255 8 5 1234.5678 0.00001 3.14159 2.5}}", "+5|00042|ff|FF|10|101|1.234568e+03|1e-05|   3.142|2.50    |")]
    [InlineData("{{printf \"%08.3f|%+.2e|%-+8d|% d|%x|%X|%#o|%U|%#U\" 3.14159 12345.678 42 7 -255 255 8 9731 9731}}", "0003.142|+1.23e+04|+42     | 7|-ff|FF|010|U+2603|U+2603 '☃'")]
    [InlineData("{{printf \"%5d|%-5d|%05d|%+5d|%.3d|%8.3d|%.0d|%5.0d|\" 42 42 42 42 7 7 0 0}}", "   42|42   |00042|  +42|007|     007||     |")]
    [InlineData("{{printf \"%5s|%-5s|%05d|%-05d|%5.1f|%-7.2f|\" \"ab\" \"ab\" -42 42 3.14159 2.5}}", "   ab|ab   |-0042|42   |  3.1|2.50   |")]
    [InlineData("{{printf \"%.2f %.2f %.2f %.3e %.0f %.1f %.0f %.0f\" 1.005 1.015 2.675 1.0005 0.5 0.25 2.5 3.5}}", "1.00 1.01 2.67 1.000e+00 0 0.2 2 4")]
    [InlineData("{{printf \"%g %.3g %.1g %.0g %g %G\" 1e6 1e6 0.15 123.0 1e-5 1e-10}}", "1e+06 1e+06 0.1 1e+02 1e-05 1E-10")]
    [InlineData("{{printf \"%e %.1e %.3e %E\" 1e100 9.95 1.9995 0.000123}}", "1.000000e+100 9.9e+00 2.000e+00 1.230000E-04")]
    [InlineData("{{printf \"%f %F %.10f\" 1e20 1.5 0.1}}", "100000000000000000000.000000 1.500000 0.1000000000")]
    [InlineData("{{printf \"%c%c%c %q %q %U\" 72 105 9731 10 39 128512}}", "Hi☃ '\\n' '\\'' U+1F600")]
    [InlineData("{{printf \"%s|%10s|%-10s|%.2s|%q|%x\" \"héllo\" \"héllo\" \"héllo\" \"héllo\" \"héllo\" \"é\"}}", "héllo|     héllo|héllo     |hé|\"héllo\"|c3a9")]
    [InlineData("{{printf \"%q %+q %#q %#q\" \"a\\tb☃\" \"a☃\" \"ab\" \"a`b\"}}", "\"a\\tb☃\" \"a\\u2603\" `ab` \"a`b\"")]
    [InlineData("{{printf \"%x %X % x %#x %# x\" \"hi\" \"hi\" \"hi\" \"hi\" \"hi\"}}", "6869 6869 68 69 0x6869 0x68 0x69")]
    [InlineData("{{printf \"%v %t %s\" true false nil}}", "true false %!s(<nil>)")]
    [InlineData("{{printf \"%5v|%-5v|%5v\" true nil \"ab\"}}", " true|<nil>|   ab")]
    [InlineData("{{printf \"%10v|%-10v|\" .L .A}}", "[         1          2          3]|x         |")]
    [InlineData("{{printf \"%s %d\" .M .M}}", "map[a:[%!s(int=1) s <nil>] b:%!s(int=1)] map[%!d(string=a):[1 %!d(string=s) <nil>] %!d(string=b):1]")]
    [InlineData("{{printf \"%d\" .F}} {{printf \"%s\" 5}} {{printf \"%d\" true}} {{printf \"%t\" 1}} {{printf \"%z\" 1}}", "%!d(float64=1.5) %!s(int=5) %!d(bool=true) %!t(int=1) %!z(int=1)")]
    [InlineData("{{printf \"%s\"}} {{printf \"%d %d\" 1}} {{printf \"x\" 1}} {{printf \"%!\"}} {{printf \"%\"}}", "%!s(MISSING) 1 %!d(MISSING) x%!(EXTRA int=1) %!!(MISSING) %!(NOVERB)")]
    [InlineData("{{printf \"%*d|%-*d|\" 5 3 4 2}} {{printf \"%[2]s %[1]s\" \"a\" \"b\"}} {{printf \"%[3]d %d\" 1 2}}", "    3|2   | b a %!d(BADINDEX) 1")]
    [InlineData("{{printf \"%d%%\" 50}} {{printf \"%T %T %T %T\" 1 1.5 \"s\" true}}", "50% int float64 string bool")]
    [InlineData("{{printf \"%6.2f%%\" 12.345}}", " 12.35%")]
    public void Printf(string template, string expected) =>
        Assert.Equal(expected, RenderJson(template, SampleJson));
}
