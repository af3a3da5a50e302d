using Berth.Cli.Cli;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>A <c>--format</c> value for commands that print one object per template (inspect, version, info, events).</summary>
internal static class FormatTemplate
{
    /// <exception cref="StatusException">Exit 64 with <c>template parsing error: …</c>, as docker's inspect and version do.</exception>
    public static GoTemplate Parse(string format)
    {
        try
        {
            return GoTemplate.Parse(FormatDirective.Parse(format).Template);
        }
        catch (TemplateException e)
        {
            throw new StatusException(64, "template parsing error: " + e.Message);
        }
    }

    /// <summary>docker's <c>version</c> and <c>info</c> with <c>--format</c>: the output, then a line end even when the template failed midway.</summary>
    /// <exception cref="TemplateException">The template failed.</exception>
    public static void WriteLine(GoTemplate template, TextWriter output, object? data)
    {
        try
        {
            template.Execute(output, data);
        }
        finally
        {
            output.Write('\n');
        }
    }
}
