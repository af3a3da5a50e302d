using System.Text.Json.Serialization;

namespace Berth.Api.Models;

/// <summary>Every Engine API error body: <c>{"message": "..."}</c>.</summary>
public sealed record ErrorResponse([property: JsonPropertyName("message")] string Message);
