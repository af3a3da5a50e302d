namespace Berth.Cli.Templates;

/// <summary>
/// A computed template context, the equivalent of the Go structs docker's formatters hand to
/// text/template (<c>{{.ID}}</c>, <c>{{.Label "com.x"}}</c>). Implemented by the CLI's
/// formatters; the template engine only reads it, during one execution.
/// </summary>
public interface ITemplateObject
{
    /// <summary><c>.Name</c> without arguments. False makes the template fail with
    /// <c>can't evaluate field Name in type T</c>.</summary>
    bool TryGetField(string name, out object? value);

    /// <summary><c>.Name arg…</c>, a method call. False when there is no such method.</summary>
    bool TryInvoke(string name, IReadOnlyList<object?> args, out object? value)
    {
        value = null;
        return false;
    }

    /// <summary>The fields <c>{{json .}}</c> writes (docker sorts them) and <c>{{.}}</c> prints.</summary>
    IEnumerable<string> FieldNames => [];

    /// <summary>The type named in errors, as Go names the struct (<c>*formatter.ContainerContext</c>).</summary>
    string TypeName => GetType().Name;
}

/// <summary>
/// A template object that stands for a plain Go struct (no <c>MarshalJSON</c> of its own): <c>{{json .}}</c> writes
/// its fields in <see cref="ITemplateObject.FieldNames"/> order, the struct's declaration order, not sorted.
/// </summary>
public interface IStructTemplateObject : ITemplateObject;

/// <summary>A template object that <c>{{json .}}</c> writes as the JSON it was made from (a Go struct with json tags).</summary>
public interface IJsonBacked
{
    System.Text.Json.JsonElement Json { get; }
}
