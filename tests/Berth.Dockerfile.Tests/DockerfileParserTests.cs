namespace Berth.Dockerfile.Tests;

public sealed class DockerfileParserTests
{
    private static DockerfileException Error(string text) => Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(text));

    [Fact]
    public void Groups_global_args_and_stages_with_lower_cased_names()
    {
        var document = DockerfileParser.Parse("""
            ARG BASE=alpine
            FROM $BASE AS Build
            RUN make
            FROM scratch
            COPY --from=build /out /
            """);

        Assert.Equal("BASE", Assert.Single(Assert.Single(document.GlobalArgs).Arguments).Name);
        Assert.Equal(2, document.Stages.Count);
        Assert.Equal((0, "build", "$BASE"), (document.Stages[0].Index, document.Stages[0].Name, document.Stages[0].From.Image));
        Assert.IsType<RunInstruction>(Assert.Single(document.Stages[0].Instructions));
        Assert.Null(document.Stages[1].Name);
        Assert.Equal('\\', document.EscapeToken);
    }

    [Fact]
    public void Continuations_join_lines_and_skip_comment_lines_inside_them()
    {
        var run = (RunInstruction)DockerfileParser.Parse("""
            FROM a
            RUN apt-get update \
            # a comment in the middle
                && apt-get install -y curl
            """).Stages[0].Instructions[0];

        Assert.Equal("RUN apt-get update     && apt-get install -y curl", run.Original);
        Assert.Equal(2, run.Line);
        Assert.Equal("apt-get update     && apt-get install -y curl", run.Command.Arguments[0]);
    }

    [Fact]
    public void An_empty_continuation_line_is_accepted_with_dockers_warning()
    {
        var document = DockerfileParser.Parse("FROM a\nRUN echo a \\\n\n  b\n");

        var warning = Assert.Single(document.Warnings);
        Assert.Equal("Empty continuation line found in: RUN echo a   b", warning.Message);
        Assert.Equal(4, warning.Line);
    }

    [Fact]
    public void An_escaped_escape_token_does_not_continue_the_line()
    {
        var document = DockerfileParser.Parse("FROM a\nRUN echo \\\\\nRUN b\n");

        Assert.Equal(["RUN echo \\\\", "RUN b"], document.Stages[0].Instructions.Select(i => i.Original));
    }

    [Fact]
    public void A_continuation_at_the_end_of_the_file_ends_the_instruction()
    {
        var document = DockerfileParser.Parse("FROM a\nRUN echo \\");

        var run = (RunInstruction)document.Stages[0].Instructions[0];
        Assert.Equal(("RUN echo", "echo"), (run.Original, run.Command.Arguments[0]));
    }

    [Fact]
    public void The_escape_directive_sets_the_backtick_for_continuations_and_words()
    {
        var document = DockerfileParser.Parse("# escape=`\nFROM windows\nRUN dir c:\\ `\n  /s\nWORKDIR c:\\app\n");

        Assert.Equal('`', document.EscapeToken);
        Assert.Equal("RUN dir c:\\   /s", document.Stages[0].Instructions[0].Original);
        Assert.Equal("c:\\app", ((WorkdirInstruction)document.Stages[0].Instructions[1]).Path);
    }

    [Theory]
    [InlineData("# syntax=docker/dockerfile:1\n# ESCAPE = `\nFROM a\nRUN x `\n y\n", '`')]
    [InlineData("# check=skip=all\n#escape=`\nFROM a\n", '`')]
    [InlineData("\n# escape=`\nFROM a\n", '\\')]
    [InlineData("# a comment\n# escape=`\nFROM a\n", '\\')]
    [InlineData("FROM a\n# escape=`\n", '\\')]
    [InlineData("# unknown=1\n# escape=`\nFROM a\n", '\\')]
    [InlineData("\uFEFF# escape=`\nFROM a\n", '`')]
    public void Directives_count_only_at_the_top_before_anything_else(string text, char escape) =>
        Assert.Equal(escape, DockerfileParser.Parse(text).EscapeToken);

    [Fact]
    public void A_directive_given_twice_is_an_error()
    {
        var error = Error("# escape=`\n# Escape=\\\nFROM a\n");

        Assert.Equal("only one escape parser directive can be used", error.Message);
        Assert.True(error.IsSyntaxError);
        Assert.Equal("failed to parse Dockerfile: only one escape parser directive can be used", error.ToDockerMessage("Dockerfile"));
    }

    [Fact]
    public void An_escape_directive_other_than_backslash_or_backtick_is_an_error() =>
        Assert.Equal("invalid escape token '$' does not match ` or \\", Error("# escape=$\nFROM a\n").Message);

    [Fact]
    public void Keywords_are_case_insensitive_and_comments_are_ignored()
    {
        var document = DockerfileParser.Parse("  # leading comment\nfrom a\n   run echo hi # not a comment\n");

        Assert.Equal("RUN", document.Stages[0].Instructions[0].Keyword);
        Assert.Equal("echo hi # not a comment", ((RunInstruction)document.Stages[0].Instructions[0]).Command.Arguments[0]);
    }

    [Theory]
    [InlineData("FROM a\nBADCMD bar\n", 2, "dockerfile parse error on line 2: unknown instruction: BADCMD")]
    [InlineData("FROM a\nFOO bar\n", 2, "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)")]
    [InlineData("FROM a\n\nfrom b\nRUNN x\n", 4, "dockerfile parse error on line 4: unknown instruction: RUNN (did you mean RUN?)")]
    [InlineData("FROM a\ncopyy a b\n", 2, "dockerfile parse error on line 2: unknown instruction: copyy (did you mean copy?)")]
    [InlineData("RUN x\nFROM a\n", 1, "no build stage in current context")]
    [InlineData("FROM\n", 1, "dockerfile parse error on line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a b\n", 1, "dockerfile parse error on line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x\n", 1, "dockerfile parse error on line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM a\nCOPY --bogus=1 a b\n", 2, "dockerfile parse error on line 2: unknown flag: --bogus")]
    [InlineData("FROM a\nCOPY --chmo=1 a b\n", 2, "dockerfile parse error on line 2: unknown flag: --chmo (did you mean chmod?)")]
    [InlineData("FROM a\nCOPY a\n", 2, "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a\nRUN \\\n x\nUSER\n", 4, "dockerfile parse error on line 4: USER requires exactly one argument")]
    public void Instruction_errors_name_their_line_as_docker_does(string text, int line, string message)
    {
        var error = Error(text);

        Assert.Equal((line, message), (error.Line, error.Message));
        Assert.False(error.IsSyntaxError);
    }

    [Theory]
    [InlineData("FROM a\nENV PATH\n", 2, "ENV must have two arguments")]
    [InlineData("FROM a\nLABEL a=b c\n", 2, "Syntax error - can't find = in \"c\". Must be of the form: name=value")]
    [InlineData("FROM a\nCMD [ \"echo\", [ \"nested\" ] ]\n", 2, "when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("# only comments\n\n", 2, "file with no instructions")]
    [InlineData("", 0, "file with no instructions")]
    [InlineData("FROM a\nRUN <<EOF\nno end\n", 2, "unterminated heredoc")]
    public void Syntax_errors_are_reported_before_any_instruction_is_checked(string text, int line, string message)
    {
        var error = Error(text);

        Assert.Equal((line, message), (error.Line, error.Message));
        Assert.True(error.IsSyntaxError);
    }

    [Fact]
    public void A_syntax_error_later_in_the_file_wins_over_an_earlier_bad_instruction() =>
        Assert.Equal("ENV must have two arguments", Error("FROM a\nFOO x\nENV x\n").Message);

    [Fact]
    public void ParseInstruction_reads_an_onbuild_trigger_with_the_files_escape_token()
    {
        var run = Assert.IsType<RunInstruction>(DockerfileParser.ParseInstruction("RUN echo `\n  hi", 7, '`'));

        Assert.Equal(7, run.Line);
        Assert.Equal("RUN echo   hi", run.Original);
    }

    [Fact]
    public void ParseInstruction_reports_the_given_line() =>
        Assert.Equal("dockerfile parse error on line 5: unknown instruction: XYZZY",
            Assert.Throws<DockerfileException>(() => DockerfileParser.ParseInstruction("XYZZY x", 5, '\\')).Message);

    [Fact]
    public void Windows_line_endings_are_read_like_unix_ones()
    {
        var document = DockerfileParser.Parse("FROM a\r\nRUN echo a \\\r\n  b\r\nUSER x\r\n");

        Assert.Equal(["RUN echo a   b", "USER x"], document.Stages[0].Instructions.Select(i => i.Original));
        Assert.Equal("x", ((UserInstruction)document.Stages[0].Instructions[1]).User);
    }
}
