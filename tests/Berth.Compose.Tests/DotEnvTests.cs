using Berth.Compose.Loading;

namespace Berth.Compose.Tests;

public sealed class DotEnvTests
{
    [Fact]
    public void Reads_compose_env_file_syntax()
    {
        const string text = """
            # a comment
            A=1
            export B = two
            C='single $A'
            D="double $A\nline"
            E=plain # comment
            F=${A}-x
            INHERITED
            MISSING
            G="multi
            line"
            """;
        var values = DotEnv.Parse(text, ".env", k => k == "INHERITED" ? "from-env" : null);
        Assert.Equal("1", values["A"]);
        Assert.Equal("two", values["B"]);
        Assert.Equal("single $A", values["C"]);
        Assert.Equal("double 1\nline", values["D"]);
        Assert.Equal("plain", values["E"]);
        Assert.Equal("1-x", values["F"]);
        Assert.Equal("from-env", values["INHERITED"]);
        Assert.False(values.ContainsKey("MISSING"));
        Assert.Equal("multi\nline", values["G"]);
    }
}
