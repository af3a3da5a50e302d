namespace Berth.Cli.Templates;

/// <summary>Pipelines, commands and operands: the inside of an action.</summary>
internal sealed partial class Parser
{
    private PipeNode Pipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos, false, [], []);
        var isAssign = ParseDeclarations(context, pipe.Decl);
        pipe = pipe with { IsAssign = isAssign };
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            if (token.Kind is not (TokenKind.Bool or TokenKind.CharConstant or TokenKind.Dot or TokenKind.Field
                or TokenKind.Identifier or TokenKind.Number or TokenKind.Nil or TokenKind.RawString
                or TokenKind.String or TokenKind.Variable or TokenKind.LeftParen))
                throw Unexpected(token, context);
            Backup();
            pipe.Commands.Add(Command());
        }
    }

    /// <summary>Reads <c>$x :=</c>, <c>$x =</c> or, in a range, <c>$i, $v :=</c>; true for an assignment.</summary>
    private bool ParseDeclarations(string context, List<VariableNode> decl)
    {
        while (PeekNonSpace().Kind == TokenKind.Variable)
        {
            var mark = _index;
            var variable = NextNonSpace();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                NextNonSpace();
                decl.Add(new VariableNode(variable.Pos, [variable.Value]));
                _vars.Add(variable.Value);
                return next.Kind == TokenKind.Assign;
            }
            if (next.Kind == TokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                decl.Add(new VariableNode(variable.Pos, [variable.Value]));
                _vars.Add(variable.Value);
                if (context == "range" && decl.Count < 2)
                {
                    var after = PeekNonSpace().Kind;
                    if (after == TokenKind.Variable)
                        continue;
                    if (after is not (TokenKind.RightDelim or TokenKind.RightParen))
                        throw Error("range can only initialize variables");
                }
                throw Error($"too many declarations in {context}");
            }
            _index = mark;
            break;
        }
        return false;
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Commands.Count == 0)
            throw Error($"missing value for {context}");
        for (var i = 1; i < pipe.Commands.Count; i++)
            if (pipe.Commands[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                throw Error($"non executable command in pipeline stage {i + 1}");
    }

    private CommandNode Command()
    {
        var command = new CommandNode(PeekNonSpace().Pos, []);
        while (true)
        {
            PeekNonSpace();
            if (Operand() is { } operand)
                command.Args.Add(operand);
            var token = Next();
            if (token.Kind == TokenKind.Space)
                continue;
            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen)
                Backup();
            else if (token.Kind != TokenKind.Pipe)
                throw Unexpected(token, "operand");
            break;
        }
        return command.Args.Count > 0 ? command : throw Error("empty command");
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null || Peek().Kind != TokenKind.Field)
            return node;
        var chainPos = Peek().Pos;
        var fields = new List<string>();
        while (Peek().Kind == TokenKind.Field)
            fields.Add(Next().Value[1..]);
        return node switch
        {
            FieldNode field => new FieldNode(chainPos, [.. field.Idents, .. fields]),
            VariableNode variable => new VariableNode(chainPos, [.. variable.Idents, .. fields]),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw Error($"unexpected . after term {GoQuote.String(node.ToString()!)}"),
            _ => new ChainNode(chainPos, node, [.. fields]),
        };
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                return _isFunction(token.Value)
                    ? new IdentifierNode(token.Pos, token.Value)
                    : throw Error($"function {GoQuote.String(token.Value)} not defined");
            case TokenKind.Dot:
                return new DotNode(token.Pos);
            case TokenKind.Nil:
                return new NilNode(token.Pos);
            case TokenKind.Variable:
                return _vars.Contains(token.Value)
                    ? new VariableNode(token.Pos, [token.Value])
                    : throw Error($"undefined variable {GoQuote.String(token.Value)}");
            case TokenKind.Field:
                return new FieldNode(token.Pos, [token.Value[1..]]);
            case TokenKind.Bool:
                return new BoolNode(token.Pos, token.Value == "true");
            case TokenKind.CharConstant:
                return Literals.UnquoteChar(token.Value) is { } rune
                    ? new NumberNode(token.Pos, token.Value, (long)rune)
                    : throw Error($"malformed character constant: {token.Value}");
            case TokenKind.Number:
                return Literals.ParseNumber(token.Value) is { } number
                    ? new NumberNode(token.Pos, token.Value, number)
                    : throw Error($"illegal number syntax: {GoQuote.String(token.Value)}");
            case TokenKind.LeftParen:
                return Pipeline("parenthesized pipeline", TokenKind.RightParen);
            case TokenKind.String or TokenKind.RawString:
                return Literals.Unquote(token.Value) is { } text
                    ? new StringNode(token.Pos, token.Value, text)
                    : throw Error("invalid syntax");
        }
        Backup();
        return null;
    }
}
