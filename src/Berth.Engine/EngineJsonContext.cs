using System.Text.Json.Serialization;
using Berth.Engine.Containers;

namespace Berth.Engine;

/// <summary>The engine's own records as they are stored in <c>berth.db</c>.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Volumes.Volume))]
[JsonSerializable(typeof(Container))]
[JsonSerializable(typeof(Networks.NetworkRecord))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
