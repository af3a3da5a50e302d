using System.Text.Json.Serialization;

namespace Berth.Runtime.Cli;

[JsonSerializable(typeof(int[]))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
