using System.Text.Json.Serialization;

namespace Berth.Build;

[JsonSerializable(typeof(string))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
