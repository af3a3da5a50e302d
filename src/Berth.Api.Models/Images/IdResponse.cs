namespace Berth.Api.Models.Images;

/// <summary>Docker's <c>IDResponse</c>: <c>201</c> from <c>POST /commit</c>.</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}
