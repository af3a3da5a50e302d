namespace Berth.Dockerfile;

internal static partial class InstructionFactory
{
    /// <summary>
    /// ADD and COPY: sources then a destination; a source written <c>&lt;&lt;NAME</c> is an inline file whose body is
    /// the heredoc of that name. ADD takes <c>--keep-git-dir --checksum --unpack</c>, COPY <c>--from --parents</c>.
    /// </summary>
    private static CopyInstruction Copy(SyntaxNode node, bool isAdd)
    {
        var keyword = isAdd ? "ADD" : "COPY";
        if (node.Args.Count < 2)
        {
            throw new DockerfileException(0, $"{keyword} requires at least two arguments, but only one was provided. Destination could not be determined");
        }
        var flags = new InstructionFlags(node.Flags).String("chown", "chmod").Bool("link").List("exclude");
        flags = isAdd ? flags.Bool("keep-git-dir", "unpack").String("checksum") : flags.String("from").Bool("parents");
        flags.Parse();
        var destination = node.Args[^1];
        if (HeredocWords.Parse(destination, node.Line) is not null)
        {
            throw new DockerfileException(0, $"{keyword} cannot accept a heredoc as a destination");
        }
        var sources = new List<string>();
        var inline = new List<Heredoc>();
        foreach (var source in node.Args.SkipLast(1))
        {
            if (HeredocWords.Parse(source, node.Line) is { } heredoc)
            {
                var body = node.Heredocs.FirstOrDefault(h => h.Name == heredoc.Name)?.Content ?? "";
                inline.Add(heredoc with { Content = body });
            }
            else
            {
                sources.Add(source);
            }
        }
        return new CopyInstruction(
            node.Line, node.Original, isAdd, sources, destination, flags.GetString("from"), flags.GetString("chown"),
            flags.GetString("chmod"), flags.GetBool("link"), flags.GetList("exclude"), flags.GetString("checksum"),
            flags.GetBool("keep-git-dir"), inline)
        {
            Parents = flags.GetBool("parents"),
            Unpack = flags.GetString("unpack") is { } unpack ? unpack == "true" : null,
        };
    }
}
