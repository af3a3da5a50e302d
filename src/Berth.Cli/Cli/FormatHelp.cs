namespace Berth.Cli.Cli;

/// <summary>docker's usage texts of <c>--format</c> (its help wraps them with the rest of the flag table).</summary>
internal static class FormatHelp
{
    /// <summary>For listing commands (ps, images, context ls, stats, history, system df).</summary>
    public const string Table = """
        Format output using a custom template:
        'table':            Print output in table format with column headers (default)
        'table TEMPLATE':   Print output in table format using the given Go template
        'json':             Print in JSON format
        'TEMPLATE':         Print output using the given Go template.
        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
        """;

    /// <summary>For commands that print one object (inspect, version, info, context inspect).</summary>
    public const string Object = """
        Format output using a custom template:
        'json':             Print in JSON format
        'TEMPLATE':         Print output using the given Go template.
        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
        """;
}
