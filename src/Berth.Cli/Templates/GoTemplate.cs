namespace Berth.Cli.Templates;

/// <summary>
/// A Go text/template, as docker users write <c>--format</c>: parsed once, then executed over
/// any number of values (JSON from the API, dictionaries, lists, <see cref="ITemplateObject"/>).
/// Immutable after <see cref="Parse"/>; safe to execute from several threads.
/// </summary>
public sealed class GoTemplate
{
    private readonly string _text;
    private readonly Dictionary<string, ListNode> _templates;
    private readonly IReadOnlyDictionary<string, TemplateFunction> _functions;

    private GoTemplate(string text, Dictionary<string, ListNode> templates, IReadOnlyDictionary<string, TemplateFunction> functions)
    {
        _text = text;
        _templates = templates;
        _functions = functions;
    }

    /// <summary>
    /// Parses a template. Go's builtins and docker's functions are always there;
    /// <paramref name="extraFunctions"/> add to them or replace them.
    /// </summary>
    /// <exception cref="TemplateException">The template does not parse.</exception>
    public static GoTemplate Parse(string text, IReadOnlyDictionary<string, Func<IReadOnlyList<object?>, object?>>? extraFunctions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var functions = Functions.With(extraFunctions);
        return new GoTemplate(text, Parser.Parse(text, functions.ContainsKey), functions);
    }

    /// <summary>Writes the template's output over <paramref name="data"/>; stops at the first error.</summary>
    /// <exception cref="TemplateException">Evaluation failed; what was written before stays written.</exception>
    public void Execute(TextWriter output, object? data) =>
        new Executor(_text, _templates, _functions, output).Run(_templates[""], data);

    /// <summary>The template's output over <paramref name="data"/>.</summary>
    /// <exception cref="TemplateException">Evaluation failed.</exception>
    public string Render(object? data)
    {
        var writer = new StringWriter();
        Execute(writer, data);
        return writer.ToString();
    }
}
