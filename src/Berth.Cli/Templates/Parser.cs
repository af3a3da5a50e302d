namespace Berth.Cli.Templates;

/// <summary>
/// Builds the parse trees of a template text: the main tree, and one per <c>{{define}}</c> or
/// <c>{{block}}</c>. The grammar and the error wording are those of Go's text/template/parse.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _isFunction;
    private readonly Dictionary<string, ListNode> _templates;
    private List<string> _vars = ["$"];
    private int _index;
    private int _line = 1;
    private int _rangeDepth;

    private Parser(List<Token> tokens, Func<string, bool> isFunction, Dictionary<string, ListNode> templates)
    {
        _tokens = tokens;
        _isFunction = isFunction;
        _templates = templates;
    }

    /// <summary>Parses <paramref name="text"/>; the main tree is stored under the name "".</summary>
    public static Dictionary<string, ListNode> Parse(string text, Func<string, bool> isFunction)
    {
        var templates = new Dictionary<string, ListNode>(StringComparer.Ordinal);
        var parser = new Parser(Lexer.Tokenize(text), isFunction, templates);
        var root = parser.ParseTop();
        parser.AddTemplate("", root);
        return templates;
    }

    private TemplateException Error(string message) => new($"template: :{_line}: {message}");

    private TemplateException Unexpected(Token token, string context) =>
        token.Kind == TokenKind.Error ? Error(token.Value) : Error($"unexpected {token} in {context}");

    private Token Next()
    {
        var token = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _index++;
        _line = token.Line;
        return token;
    }

    private void Backup(int count = 1) => _index -= count;

    private Token Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];

    private Token NextNonSpace()
    {
        var token = Next();
        while (token.Kind == TokenKind.Space)
            token = Next();
        return token;
    }

    private Token PeekNonSpace()
    {
        var token = NextNonSpace();
        Backup();
        return token;
    }

    private Token Expect(TokenKind kind, string context)
    {
        var token = NextNonSpace();
        return token.Kind == kind ? token : throw Unexpected(token, context);
    }

    private ListNode ParseTop()
    {
        var root = new ListNode(Peek().Pos, []);
        while (Peek().Kind != TokenKind.Eof)
        {
            if (Peek().Kind == TokenKind.LeftDelim)
            {
                var mark = _index;
                Next();
                if (NextNonSpace().Kind == TokenKind.Define)
                {
                    ParseDefinition();
                    continue;
                }
                _index = mark;
            }
            var node = TextOrAction();
            if (node is DelimiterNode)
                throw Error($"unexpected {node}");
            root.Nodes.Add(node);
        }
        return root;
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var name = NextNonSpace();
        if (name.Kind is not (TokenKind.String or TokenKind.RawString))
            throw Unexpected(name, context);
        Expect(TokenKind.RightDelim, context);
        var body = ParseSubtree(out var end);
        if (end is not DelimiterNode { Keyword: "end" })
            throw Error($"unexpected {end} in {context}");
        AddTemplate(Literals.Unquote(name.Value) ?? throw Error("invalid syntax"), body);
    }

    /// <summary>A definition that is only white space never replaces one; two real ones conflict.</summary>
    private void AddTemplate(string name, ListNode body)
    {
        if (_templates.TryGetValue(name, out var existing) && !IsEmpty(existing))
        {
            if (!IsEmpty(body))
                throw Error($"template: multiple definition of template {GoQuote.String(name)}");
            return;
        }
        _templates[name] = body;
    }

    private static bool IsEmpty(ListNode list) =>
        list.Nodes.All(n => n is TextNode text && string.IsNullOrWhiteSpace(text.Text));

    /// <summary>A define or block body: its own variable scope, ended by {{end}}.</summary>
    private ListNode ParseSubtree(out Node end)
    {
        var (vars, rangeDepth) = (_vars, _rangeDepth);
        (_vars, _rangeDepth) = (["$"], 0);
        var body = ItemList(out end);
        (_vars, _rangeDepth) = (vars, rangeDepth);
        return body;
    }

    private ListNode ItemList(out Node end)
    {
        var list = new ListNode(PeekNonSpace().Pos, []);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var node = TextOrAction();
            if (node is DelimiterNode)
            {
                end = node;
                return list;
            }
            list.Nodes.Add(node);
        }
        _line = Peek().Line;
        throw Error("unexpected EOF");
    }

    private Node TextOrAction()
    {
        var token = NextNonSpace();
        return token.Kind switch
        {
            TokenKind.Text => new TextNode(token.Pos, token.Value),
            TokenKind.LeftDelim => Action(),
            _ => throw Unexpected(token, "input"),
        };
    }

    private Node Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Block: return BlockControl();
            case TokenKind.Break: return LoopControl(new BreakNode(token.Pos), "{{break}}");
            case TokenKind.Continue: return LoopControl(new ContinueNode(token.Pos), "{{continue}}");
            case TokenKind.Else: return ElseControl();
            case TokenKind.End: return new DelimiterNode(Expect(TokenKind.RightDelim, "end").Pos, "end");
            case TokenKind.If: return Control(BranchKind.If);
            case TokenKind.Range: return Control(BranchKind.Range);
            case TokenKind.Template: return TemplateControl();
            case TokenKind.With: return Control(BranchKind.With);
        }
        Backup();
        var start = Peek();
        return new ActionNode(start.Pos, Pipeline("command", TokenKind.RightDelim));
    }

    private Node LoopControl(Node node, string keyword)
    {
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim)
            throw Unexpected(token, keyword);
        if (_rangeDepth == 0)
            throw Error($"{keyword} outside {{{{range}}}}");
        return node;
    }

    private Node ElseControl()
    {
        // "{{else if …}}" and "{{else with …}}": the if/with is left for Control to read.
        var peek = PeekNonSpace();
        if (peek.Kind is TokenKind.If or TokenKind.With)
            return new DelimiterNode(peek.Pos, "else");
        return new DelimiterNode(Expect(TokenKind.RightDelim, "else").Pos, "else");
    }

    private Node Control(BranchKind kind)
    {
        var context = kind.ToString().ToLowerInvariant();
        var varCount = _vars.Count;
        var pipe = Pipeline(context, TokenKind.RightDelim);
        if (kind == BranchKind.Range)
            _rangeDepth++;
        var list = ItemList(out var next);
        if (kind == BranchKind.Range)
            _rangeDepth--;
        ListNode? elseList = null;
        if (next is DelimiterNode { Keyword: "else" })
        {
            var chained = kind == BranchKind.If ? TokenKind.If : kind == BranchKind.With ? TokenKind.With : TokenKind.Eof;
            if (PeekNonSpace().Kind == chained)
            {
                NextNonSpace();
                elseList = new ListNode(next.Pos, [Control(kind)]);
            }
            else
            {
                elseList = ItemList(out next);
                if (next is not DelimiterNode { Keyword: "end" })
                    throw Error($"expected end; found {next}");
            }
        }
        _vars.RemoveRange(varCount, _vars.Count - varCount);
        return new BranchNode(pipe.Pos, kind, pipe, list, elseList);
    }

    private Node TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenKind.RightDelim);
        }
        return new TemplateNode(token.Pos, name, pipe);
    }

    private Node BlockControl()
    {
        const string context = "block clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        var pipe = Pipeline(context, TokenKind.RightDelim);
        var body = ParseSubtree(out var end);
        if (end is not DelimiterNode { Keyword: "end" })
            throw Error($"unexpected {end} in {context}");
        AddTemplate(name, body);
        return new TemplateNode(token.Pos, name, pipe);
    }

    private string TemplateName(Token token, string context) =>
        token.Kind is TokenKind.String or TokenKind.RawString
            ? Literals.Unquote(token.Value) ?? throw Error("invalid syntax")
            : throw Unexpected(token, context);
}
