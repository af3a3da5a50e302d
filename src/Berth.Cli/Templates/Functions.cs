namespace Berth.Cli.Templates;

/// <summary>A template function: its arity (MaxArgs −1 for variadic) and its body.</summary>
internal sealed record TemplateFunction(string Name, int MinArgs, int MaxArgs, Func<IReadOnlyList<object?>, object?> Invoke)
{
    /// <summary>Set for Go's and (false) and or (true), which evaluate their arguments lazily.</summary>
    public bool? ShortCircuit { get; init; }

    public bool IsVariadic => MaxArgs < 0;
}

/// <summary>The functions a template can call: Go's builtins, docker's, then the caller's.</summary>
internal static class Functions
{
    private static readonly Dictionary<string, TemplateFunction> Defaults = Build();

    private static Dictionary<string, TemplateFunction> Build()
    {
        var all = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal);
        foreach (var function in Builtins.All.Concat(DockerFunctions.All))
            all[function.Name] = function;
        return all;
    }

    public static IReadOnlyDictionary<string, TemplateFunction> With(
        IReadOnlyDictionary<string, Func<IReadOnlyList<object?>, object?>>? extra)
    {
        if (extra is null || extra.Count == 0)
            return Defaults;
        var all = new Dictionary<string, TemplateFunction>(Defaults, StringComparer.Ordinal);
        foreach (var (name, body) in extra)
            all[name] = new TemplateFunction(name, 0, -1, body);
        return all;
    }

    /// <summary>A string parameter: Go refuses other types rather than converting them.</summary>
    public static string String(IReadOnlyList<object?> args, int index) => args[index] switch
    {
        string s => s,
        null => "",
        var other => throw WrongType("string", other, index),
    };

    public static int Int(IReadOnlyList<object?> args, int index) => args[index] switch
    {
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw WrongType("int", other, index),
    };

    public static TemplateFunctionException WrongType(string expected, object? value, int index) =>
        new($"wrong type for value; expected {expected}; got {Values.GoTypeName(value)}", index);
}
