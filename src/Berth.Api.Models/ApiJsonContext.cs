using System.Text.Json.Serialization;
using Berth.Api.Models.System;

namespace Berth.Api.Models;

/// <summary>Engine API JSON: property names exactly as v1.44 spells them; read case-insensitively, as Go does.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
