using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Models;

namespace Berth.Api.Server;

/// <summary>
/// Request bodies read as Go's encoding/json reads them: <c>null</c> for a field leaves its zero value. Clients send
/// <c>"StartPeriod": null</c> and <c>"Image": null</c>; System.Text.Json would refuse the first and store a null
/// string for the second. Numbers and booleans read null as 0 and false; a non-nullable reference property keeps its
/// initial value (<c>""</c>, an empty object); a nullable one still reads null.
/// </summary>
internal static class GoNulls
{
    private static readonly Dictionary<Type, JsonConverter> ZeroOnNull = new()
    {
        [typeof(bool)] = new NullIsZero<bool>(JsonMetadataServices.BooleanConverter),
        [typeof(byte)] = new NullIsZero<byte>(JsonMetadataServices.ByteConverter),
        [typeof(short)] = new NullIsZero<short>(JsonMetadataServices.Int16Converter),
        [typeof(ushort)] = new NullIsZero<ushort>(JsonMetadataServices.UInt16Converter),
        [typeof(int)] = new NullIsZero<int>(JsonMetadataServices.Int32Converter),
        [typeof(uint)] = new NullIsZero<uint>(JsonMetadataServices.UInt32Converter),
        [typeof(long)] = new NullIsZero<long>(JsonMetadataServices.Int64Converter),
        [typeof(ulong)] = new NullIsZero<ulong>(JsonMetadataServices.UInt64Converter),
        [typeof(double)] = new NullIsZero<double>(JsonMetadataServices.DoubleConverter),
    };

    private static readonly JsonSerializerOptions Options = new(ApiJsonContext.Default.Options)
    {
        TypeInfoResolver = ApiJsonContext.Default.WithAddedModifier(ReadNullAsZero),
    };

    /// <summary>The metadata to read <paramref name="typeInfo"/>'s type with Go's treatment of null.</summary>
    public static JsonTypeInfo<T> For<T>(JsonTypeInfo<T> typeInfo) => (JsonTypeInfo<T>)Options.GetTypeInfo(typeInfo.Type);

    private static void ReadNullAsZero(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
        {
            if (property.CustomConverter is null && ZeroOnNull.TryGetValue(property.PropertyType, out var converter))
                property.CustomConverter = converter;
            else if (!property.PropertyType.IsValueType && !property.IsSetNullable && property.Set is { } set)
                property.Set = (target, value) =>
                {
                    if (value is not null) set(target, value);
                };
        }
    }

    private sealed class NullIsZero<T>(JsonConverter<T> inner) : JsonConverter<T> where T : struct
    {
        public override bool HandleNull => true;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? default : inner.Read(ref reader, typeToConvert, options);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);
    }
}
