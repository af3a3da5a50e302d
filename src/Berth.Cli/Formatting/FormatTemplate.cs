using Berth.Cli.Cli;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>A <c>--format</c> value for commands that print one object per template (inspect, version, info, events).</summary>
internal static class FormatTemplate
{
    /// <exception cref="StatusException">Exit 64 with <c>Template parsing error: …</c>, as docker's inspect and version do.</exception>
    public static GoTemplate Parse(string format)
    {
        try
        {
            return GoTemplate.Parse(FormatDirective.Parse(format).Template);
        }
        catch (TemplateException e)
        {
            throw new StatusException(64, "Template parsing error: " + e.Message);
        }
    }
}
