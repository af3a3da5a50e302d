namespace Berth.Dockerfile.Tests;

public sealed class HeredocTests
{
    private static IReadOnlyList<Instruction> Parse(string body) => DockerfileParser.Parse("FROM base\n" + body).Stages[0].Instructions;

    [Fact]
    public void Run_heredoc_gives_the_script_and_the_following_instruction_keeps_its_line()
    {
        var instructions = Parse("RUN <<EOF\napt-get update\napt-get install -y vim\nEOF\nUSER app\n");

        var run = Assert.IsType<RunInstruction>(instructions[0]);
        var heredoc = Assert.Single(run.Heredocs);
        Assert.Equal(new Heredoc("EOF", "apt-get update\napt-get install -y vim\n", true, false), heredoc);
        Assert.Equal(["<<EOF"], run.Command.Arguments);
        Assert.Equal(6, instructions[1].Line);
    }

    [Fact]
    public void Quoted_delimiters_turn_expansion_off_and_dash_strips_tabs()
    {
        var run = (RunInstruction)Parse("RUN <<-\"EOF\" bash\n\techo $HOME\n\tEOF\n")[0];

        var heredoc = Assert.Single(run.Heredocs);
        Assert.False(heredoc.Expand);
        Assert.True(heredoc.StripTabs);
        Assert.Equal("\techo $HOME\n", heredoc.Content);
        Assert.Equal("echo $HOME\n", heredoc.Body);
    }

    [Theory]
    [InlineData("<<'EOF'", false)]
    [InlineData("<<E\"O\"F", false)]
    [InlineData("<<EOF", true)]
    [InlineData("<< EOF", true)]
    public void A_delimiter_with_any_quoted_part_is_not_expanded(string opener, bool expand)
    {
        var run = (RunInstruction)Parse($"RUN cat {opener}\nx\nEOF\n")[0];

        Assert.Equal(("EOF", expand), (run.Heredocs[0].Name, run.Heredocs[0].Expand));
    }

    [Fact]
    public void Several_heredocs_on_one_line_are_read_in_order()
    {
        var run = (RunInstruction)Parse("RUN cat <<A && cat <<B\none\nA\ntwo\nB\nUSER x\n")[0];

        Assert.Equal([("A", "one\n"), ("B", "two\n")], run.Heredocs.Select(h => (h.Name, h.Content)));
    }

    [Fact]
    public void Copy_heredocs_are_inline_sources_named_by_their_delimiter()
    {
        var copy = (CopyInstruction)Parse("COPY <<app.conf a.txt /etc/\nport=80\napp.conf\n")[0];

        Assert.Equal(["a.txt"], copy.Sources);
        Assert.Equal("/etc/", copy.Destination);
        Assert.Equal(("app.conf", "port=80\n"), (copy.Heredocs[0].Name, copy.Heredocs[0].Content));
    }

    [Fact]
    public void A_heredoc_destination_is_refused() =>
        Assert.Equal("dockerfile parse error on line 2: COPY cannot accept a heredoc as a destination",
            Assert.Throws<DockerfileException>(() => Parse("COPY a <<EOF\nx\nEOF\n")).Message);

    [Fact]
    public void Exec_form_and_other_instructions_take_no_heredocs()
    {
        var instructions = Parse("RUN [\"cat\", \"<<EOF\"]\nCMD cat <<EOF\nUSER x\n");

        Assert.Empty(((RunInstruction)instructions[0]).Heredocs);
        Assert.Equal(3, instructions.Count);
    }

    [Fact]
    public void Onbuild_trigger_carries_its_heredoc()
    {
        var onbuild = (OnbuildInstruction)Parse("ONBUILD RUN <<EOF\necho hi\nEOF\n")[0];

        Assert.Equal("RUN <<EOF\necho hi\nEOF", onbuild.Trigger);
        var trigger = (RunInstruction)DockerfileParser.ParseInstruction(onbuild.Trigger, 1, '\\');
        Assert.Equal("echo hi\n", Assert.Single(trigger.Heredocs).Content);
    }
}
