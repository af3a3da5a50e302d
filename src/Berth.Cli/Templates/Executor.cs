using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Runs a parsed template over data, writing as it goes, with Go's text/template semantics:
/// variables scoped to their control structure, <c>$</c> the data, range over lists and
/// key-sorted maps, errors that name the position and the node being evaluated.
/// </summary>
internal sealed partial class Executor
{
    private const int MaxDepth = 1000;

    private enum Flow { Normal, Break, Continue }

    private readonly string _source;
    private readonly string _templateName;
    private readonly IReadOnlyDictionary<string, ListNode> _templates;
    private readonly IReadOnlyDictionary<string, TemplateFunction> _functions;
    private readonly TextWriter _output;
    private readonly List<(string Name, object? Value)> _vars = [];
    private readonly int _depth;
    private Node? _at;

    public Executor(string source, IReadOnlyDictionary<string, ListNode> templates,
        IReadOnlyDictionary<string, TemplateFunction> functions, TextWriter output)
        : this(source, "", templates, functions, output, 0)
    {
    }

    private Executor(string source, string templateName, IReadOnlyDictionary<string, ListNode> templates,
        IReadOnlyDictionary<string, TemplateFunction> functions, TextWriter output, int depth)
    {
        _source = source;
        _templateName = templateName;
        _templates = templates;
        _functions = functions;
        _output = output;
        _depth = depth;
    }

    public void Run(ListNode root, object? data)
    {
        data = Values.Normalize(data) ?? NoValue.Instance;
        _vars.Add(("$", data));
        Walk(data, root);
    }

    /// <summary><c>template: :1:2: executing "" at &lt;.Foo&gt;: message</c>, at the node being evaluated.</summary>
    private TemplateException Error(string message)
    {
        if (_at is null)
            return new TemplateException($"template: {_templateName}: {message}");
        var pos = Math.Min(_at.Pos, _source.Length);
        var lineStart = _source.LastIndexOf('\n', Math.Max(pos - 1, 0)) + 1;
        if (pos == 0)
            lineStart = 0;
        var line = 1 + _source.AsSpan(0, lineStart).Count('\n');
        var column = Encoding.UTF8.GetByteCount(_source.AsSpan(lineStart, pos - lineStart));
        return new TemplateException(
            $"template: :{line}:{column}: executing {GoQuote.String(_templateName)} at <{_at}>: {message}");
    }

    private Flow Walk(object? dot, Node node)
    {
        switch (node)
        {
            case ActionNode action:
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                    Print(value);
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            case BranchNode { Kind: BranchKind.Range } range:
                return WalkRange(dot, range);
            case BranchNode branch:
                return WalkIfOrWith(dot, branch);
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    var flow = Walk(dot, child);
                    if (flow != Flow.Normal)
                        return flow;
                }
                return Flow.Normal;
            case TemplateNode template:
                WalkTemplate(dot, template);
                return Flow.Normal;
            case TextNode text:
                _output.Write(text.Text);
                return Flow.Normal;
            default:
                throw Error($"unknown node: {node}");
        }
    }

    private void Print(object? value)
    {
        // A nil that came out of an interface{} is no value at all to Go's printer.
        if (value is null or NoValue)
        {
            _output.Write("<no value>");
            return;
        }
        _output.Write(GoFormat.Value(value));
    }

    private int Mark() => _vars.Count;

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private Flow WalkIfOrWith(object? dot, BranchNode branch)
    {
        var mark = Mark();
        try
        {
            var value = EvalPipeline(dot, branch.Pipe);
            if (Values.IsTrue(value))
                return Walk(branch.Kind == BranchKind.With ? value : dot, branch.List);
            return branch.ElseList is null ? Flow.Normal : Walk(dot, branch.ElseList);
        }
        finally
        {
            Pop(mark);
        }
    }

    private Flow WalkRange(object? dot, BranchNode range)
    {
        _at = range;
        var mark = Mark();
        try
        {
            var value = EvalPipeline(dot, range.Pipe);
            var iterated = false;
            foreach (var (key, element) in Iterate(value))
            {
                iterated = true;
                // The pipeline pushed its variables; the last declared gets the element, the first the key.
                if (range.Pipe.Decl.Count > 0)
                    _vars[^1] = (_vars[^1].Name, element);
                if (range.Pipe.Decl.Count > 1)
                    _vars[^2] = (_vars[^2].Name, key);
                var iterationMark = Mark();
                var flow = Walk(element, range.List);
                Pop(iterationMark);
                if (flow == Flow.Break)
                    break;
            }
            if (!iterated && range.ElseList is not null)
                return Walk(dot, range.ElseList);
            return Flow.Normal;
        }
        finally
        {
            Pop(mark);
        }
    }

    private IEnumerable<(object? Key, object? Element)> Iterate(object? value)
    {
        if (value is null or NoValue)
            return [];
        if (Values.IsMap(value))
            return Values.SortedEntries(value).Select(e => ((object?)e.Key, e.Value));
        if (Values.IsList(value))
            return Values.Items(value).Select((item, i) => ((object?)(long)i, item));
        throw Error($"range can't iterate over {GoFormat.Value(value)}");
    }

    private void WalkTemplate(object? dot, TemplateNode node)
    {
        _at = node;
        if (!_templates.TryGetValue(node.Name, out var tree))
            throw Error($"template {GoQuote.String(node.Name)} not defined");
        if (_depth >= MaxDepth)
            throw Error($"exceeded maximum template depth ({MaxDepth})");
        var newDot = node.Pipe is null ? NoValue.Instance : EvalPipeline(dot, node.Pipe);
        var executor = new Executor(_source, node.Name, _templates, _functions, _output, _depth + 1);
        executor._vars.Add(("$", newDot));
        executor.Walk(newDot, tree);
    }
}
