namespace Berth.Dockerfile;

/// <summary>
/// Parses Dockerfiles as Docker does (BuildKit's parser, which the legacy builder shares): directives, comments,
/// continuations, heredocs, then each instruction checked and the instructions grouped into stages. Pure: no I/O.
/// </summary>
public static class DockerfileParser
{
    /// <summary>
    /// The whole file. Errors come in Docker's order: everything wrong in the file's syntax first (the whole file is
    /// read before any instruction is checked), then the first bad instruction, then the grouping into stages.
    /// </summary>
    public static DockerfileDocument Parse(string text)
    {
        var directives = new ParserDirectives();
        var (lines, warnings) = DockerfileReader.Read(text, directives);
        if (lines.Count == 0)
        {
            throw new DockerfileException(CountLines(text), "file with no instructions", isSyntaxError: true);
        }
        var nodes = lines.Select(line => SyntaxNode.FromLine(line, directives.EscapeToken)).ToList();
        var globalArgs = new List<ArgInstruction>();
        var stages = new List<(FromInstruction From, List<Instruction> Instructions)>();
        foreach (var node in nodes)
        {
            var instruction = InstructionFactory.Create(node);
            switch (instruction)
            {
                case ArgInstruction arg when stages.Count == 0:
                    globalArgs.Add(arg);
                    break;
                case FromInstruction from:
                    stages.Add((from, []));
                    break;
                case var _ when stages.Count == 0:
                    throw new DockerfileException(node.Line, "no build stage in current context");
                default:
                    stages[^1].Instructions.Add(instruction);
                    break;
            }
        }
        return new DockerfileDocument(
            globalArgs,
            [.. stages.Select((s, i) => new Stage(i, s.From.StageName, s.From, s.Instructions))],
            directives.EscapeToken,
            warnings);
    }

    /// <summary>
    /// One instruction on its own, written as in a Dockerfile (continuations and heredocs included): an ONBUILD
    /// trigger when a build runs it. <paramref name="lineNumber"/> is the line errors name.
    /// </summary>
    public static Instruction ParseInstruction(string line, int lineNumber, char escapeToken)
    {
        var (lines, _) = DockerfileReader.Read(line, new ParserDirectives(escapeToken), lineNumber);
        if (lines.Count == 0)
        {
            throw new DockerfileException(lineNumber, "file with no instructions", isSyntaxError: true);
        }
        return InstructionFactory.Create(SyntaxNode.FromLine(lines[0], escapeToken));
    }

    private static int CountLines(string text) => text.Count(c => c == '\n') + (text.EndsWith('\n') || text.Length == 0 ? 0 : 1);
}
