using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server;

/// <summary>JSON answers with Content-Type exactly <c>application/json</c>: the Go client parses error bodies only then.</summary>
public static class Json
{
    public const string ContentType = "application/json";

    /// <summary>
    /// Above this a body is read whole into an array of its own size, then decoded: the streaming decoder grows a
    /// buffer from the shared array pool to hold the largest value, and the pool keeps that buffer (twice the value's
    /// size) for good.
    /// </summary>
    private const long LargeBody = 1L << 20;

    private const long MaxBody = 1L << 30;

    /// <summary>System.Text.Json writes no string longer than this (in UTF-16 chars): no record holding one can be stored.</summary>
    private const int MaxStoredChars = 166_666_666;

    private static T? Deserialize<T>(byte[] body, JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(body, GoNulls.For(typeInfo));

    private static async Task<byte[]> ReadLargeBodyAsync(HttpRequest request)
    {
        var length = request.ContentLength!.Value;
        if (length > MaxBody)
            throw new Engine.EngineException(Engine.ErrorKind.InvalidArgument, $"request body too large: {length} bytes of JSON (at most {MaxBody})");
        var body = GC.AllocateUninitializedArray<byte>((int)length);
        await request.Body.ReadExactlyAsync(body, request.HttpContext.RequestAborted);
        RefuseUnstorableValues(body);
        return body;
    }

    /// <summary>
    /// A value too long to be stored is refused before it is decoded: its string would take twice its size again (UTF-16)
    /// only to be refused when the record is written. Escaped values are left to that later check.
    /// </summary>
    private static void RefuseUnstorableValues(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || reader.ValueSpan.Length <= MaxStoredChars) continue;
            if (!reader.ValueIsEscaped && Encoding.UTF8.GetCharCount(reader.ValueSpan) > MaxStoredChars)
                throw new Engine.EngineException(Engine.ErrorKind.InvalidArgument,
                    $"a value of the request body is larger than 166 MB ({reader.ValueSpan.Length} bytes at byte {reader.TokenStartIndex}): Berth cannot store it");
        }
    }

    public static async Task WriteAsync<T>(HttpResponse response, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, response.HttpContext.RequestAborted);
    }

    public static Task WriteAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> typeInfo) =>
        WriteAsync(response, StatusCodes.Status200OK, value, typeInfo);

    /// <summary>
    /// A request body as <typeparamref name="T"/> (<c>null</c> fields read as Go reads them: <see cref="GoNulls"/>); an
    /// empty body is <paramref name="empty"/>, a malformed one a 400 that says where (System.Text.Json's own messages
    /// are resource keys in the NativeAOT daemon).
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, Func<T> empty)
    {
        try
        {
            if (request.ContentLength == 0) return empty();
            if (request.ContentLength > LargeBody) return Deserialize(await ReadLargeBodyAsync(request), typeInfo) ?? empty();
            return await JsonSerializer.DeserializeAsync(request.Body, GoNulls.For(typeInfo), request.HttpContext.RequestAborted) ?? empty();
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path[2..]}" : "";
            throw new Engine.EngineException(Engine.ErrorKind.InvalidArgument,
                $"invalid JSON{where} (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): a value of the wrong type or malformed JSON");
        }
    }
}
