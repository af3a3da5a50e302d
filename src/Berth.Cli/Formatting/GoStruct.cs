using System.Text.Json;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// An API object as docker's templates see the Go struct behind it: fields by their Go names, which differ from the
/// JSON keys where the struct has a json tag (<c>APIVersion</c> is <c>"ApiVersion"</c> on the wire), nested objects
/// alike; <c>{{json .}}</c> still writes the JSON keys.
/// </summary>
internal sealed class GoStruct(JsonElement element, IReadOnlyDictionary<string, string> jsonKeys, string typeName) : ITemplateObject, IJsonBacked
{
    public JsonElement Json => element;

    public string TypeName => typeName;

    public IEnumerable<string> FieldNames =>
        element.EnumerateObject().Select(p => jsonKeys.FirstOrDefault(k => k.Value == p.Name).Key ?? p.Name);

    public bool TryGetField(string name, out object? value)
    {
        value = null;
        if (!element.TryGetProperty(jsonKeys.GetValueOrDefault(name, name), out var field))
            return false;
        value = field.ValueKind == JsonValueKind.Object ? new GoStruct(field, jsonKeys, typeName) : field;
        return true;
    }
}
