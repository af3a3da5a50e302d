namespace Berth.Cli.Templates;

/// <summary>
/// The parse tree of a template. Every node keeps its byte position in the source, and
/// prints itself the way Go's parse package does, for the <c>at &lt;…&gt;</c> of errors.
/// </summary>
internal abstract record Node(int Pos);

internal sealed record ListNode(int Pos, List<Node> Nodes) : Node(Pos)
{
    public override string ToString() => string.Concat(Nodes);
}

internal sealed record TextNode(int Pos, string Text) : Node(Pos)
{
    public override string ToString() => GoQuote.String(Text);
}

internal sealed record ActionNode(int Pos, PipeNode Pipe) : Node(Pos)
{
    public override string ToString() => $"{{{{{Pipe}}}}}";
}

internal enum BranchKind { If, Range, With }

internal sealed record BranchNode(int Pos, BranchKind Kind, PipeNode Pipe, ListNode List, ListNode? ElseList) : Node(Pos)
{
    public override string ToString()
    {
        var name = Kind.ToString().ToLowerInvariant();
        var elsePart = ElseList is null ? "" : "{{else}}" + ElseList;
        return $"{{{{{name} {Pipe}}}}}{List}{elsePart}{{{{end}}}}";
    }
}

internal sealed record TemplateNode(int Pos, string Name, PipeNode? Pipe) : Node(Pos)
{
    public override string ToString() =>
        Pipe is null ? $"{{{{template {GoQuote.String(Name)}}}}}" : $"{{{{template {GoQuote.String(Name)} {Pipe}}}}}";
}

internal sealed record BreakNode(int Pos) : Node(Pos)
{
    public override string ToString() => "{{break}}";
}

internal sealed record ContinueNode(int Pos) : Node(Pos)
{
    public override string ToString() => "{{continue}}";
}

/// <summary><c>{{end}}</c> and <c>{{else}}</c>: only seen by the parser, never in a finished tree.</summary>
internal sealed record DelimiterNode(int Pos, string Keyword) : Node(Pos)
{
    public override string ToString() => $"{{{{{Keyword}}}}}";
}

internal sealed record PipeNode(int Pos, bool IsAssign, List<VariableNode> Decl, List<CommandNode> Commands) : Node(Pos)
{
    public override string ToString()
    {
        var decl = Decl.Count == 0 ? "" : string.Join(", ", Decl) + (IsAssign ? " = " : " := ");
        return decl + string.Join(" | ", Commands);
    }
}

internal sealed record CommandNode(int Pos, List<Node> Args) : Node(Pos)
{
    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode ? $"({a})" : a.ToString()));
}

internal sealed record FieldNode(int Pos, string[] Idents) : Node(Pos)
{
    public override string ToString() => "." + string.Join(".", Idents);
}

internal sealed record VariableNode(int Pos, string[] Idents) : Node(Pos)
{
    public override string ToString() => string.Join(".", Idents);
}

internal sealed record ChainNode(int Pos, Node Target, string[] Fields) : Node(Pos)
{
    public override string ToString() =>
        (Target is PipeNode ? $"({Target})" : Target.ToString()) + "." + string.Join(".", Fields);
}

internal sealed record IdentifierNode(int Pos, string Name) : Node(Pos)
{
    public override string ToString() => Name;
}

internal sealed record DotNode(int Pos) : Node(Pos)
{
    public override string ToString() => ".";
}

internal sealed record NilNode(int Pos) : Node(Pos)
{
    public override string ToString() => "nil";
}

internal sealed record BoolNode(int Pos, bool Value) : Node(Pos)
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A number literal: a Go untyped constant, an int when it is one, else a float64.</summary>
internal sealed record NumberNode(int Pos, string Text, object Value) : Node(Pos)
{
    public override string ToString() => Text;
}

internal sealed record StringNode(int Pos, string Quoted, string Value) : Node(Pos)
{
    public override string ToString() => Quoted;
}
