namespace Berth.Cli.Templates;

/// <summary>
/// A template that does not parse or fails while executing. The message is worded as Go's
/// text/template words it (<c>template: :1: function "foo" not defined</c>), because users
/// compare it with what docker prints.
/// </summary>
public sealed class TemplateException(string message) : Exception(message);

/// <summary>
/// Thrown by a template function to report a failure; the executor turns it into
/// <c>error calling NAME: MESSAGE</c>, or, when <see cref="ArgumentIndex"/> is set, into Go's
/// argument conversion error at that argument.
/// </summary>
internal sealed class TemplateFunctionException(string message, int argumentIndex = -1) : Exception(message)
{
    public int ArgumentIndex { get; } = argumentIndex;
}
