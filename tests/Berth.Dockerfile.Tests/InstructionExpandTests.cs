namespace Berth.Dockerfile.Tests;

public sealed class InstructionExpandTests
{
    [Fact]
    public void Copy_expands_its_paths_and_flags_but_not_run_commands()
    {
        Func<string, string> expand = w => w.Replace("$D", "/app");
        var copy = new CopyInstruction(1, "COPY a $D", false, ["a"], "$D", null, "$D", null, false, [], null, false, []);
        var run = new RunInstruction(2, "RUN echo $D", new CommandLine(["echo $D"], true), [], null, null, []);

        Assert.Equal("/app", ((CopyInstruction)copy.Expand(expand)).Destination);
        Assert.Equal("/app", ((CopyInstruction)copy.Expand(expand)).Chown);
        Assert.Equal("echo $D", ((RunInstruction)run.Expand(expand)).Command.Arguments[0]);
    }
}
