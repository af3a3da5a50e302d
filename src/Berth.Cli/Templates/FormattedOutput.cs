namespace Berth.Cli.Templates;

/// <summary>
/// What a <c>--format</c> value asks for, by docker's rules: <c>table …</c> is a template
/// rendered as a table with a header row; <c>json</c> alone is <c>{{json .}}</c>; a typed
/// <c>\t</c> or <c>\n</c> is a tab or a newline; surrounding spaces are dropped.
/// </summary>
public sealed record FormatDirective(bool IsTable, string Template)
{
    private const string TableKey = "table";

    public static FormatDirective Parse(string format)
    {
        var isTable = format.StartsWith(TableKey, StringComparison.Ordinal);
        var template = isTable ? format[TableKey.Length..] : format == "json" ? "{{json .}}" : format;
        template = template.Trim(' ').Replace(@"\t", "\t").Replace(@"\n", "\n");
        return new FormatDirective(isTable, template);
    }
}

/// <summary>Renders rows through a <c>--format</c> value, as docker's ps, images, … do.</summary>
public static class FormattedOutput
{
    /// <summary>
    /// Writes one line per row. For a table, first a header line, made by rendering the same
    /// template over <paramref name="headers"/> with docker's header functions (which leave the
    /// header text as it is), and everything aligned by a <see cref="TabWriter"/>.
    /// </summary>
    /// <exception cref="TemplateException"><c>template parsing error: …</c>, as docker words it.</exception>
    public static void Write(TextWriter output, string format, IReadOnlyList<object?> rows, ITemplateObject headers)
    {
        var directive = FormatDirective.Parse(format);
        var template = Parse(directive.Template, null);
        if (!directive.IsTable)
        {
            foreach (var row in rows)
                output.Write(Render(template, row) + "\n");
            return;
        }
        var headerTemplate = Parse(directive.Template, DockerFunctions.HeaderFunctions);
        var body = new StringWriter();
        foreach (var row in rows)
            body.Write(Render(template, row) + "\n");
        var table = new TabWriter(output);
        table.Write(Render(headerTemplate, headers) + "\n");
        table.Write(body.ToString());
        table.Flush();
    }

    private static GoTemplate Parse(string text, IReadOnlyDictionary<string, Func<IReadOnlyList<object?>, object?>>? functions)
    {
        try
        {
            return GoTemplate.Parse(text, functions);
        }
        catch (TemplateException e)
        {
            throw new TemplateException("template parsing error: " + e.Message);
        }
    }

    private static string Render(GoTemplate template, object? data)
    {
        try
        {
            return template.Render(data);
        }
        catch (TemplateException e)
        {
            throw new TemplateException("template parsing error: " + e.Message);
        }
    }
}
