using System.Text.Json.Serialization;
using Berth.Oci.Runtime;
using Berth.Runtime.State;

namespace Berth.Runtime;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(Spec))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
