using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Api.Client;

/// <summary>Newline-delimited JSON (progress messages, events, stats) read one value per line.</summary>
public static class JsonLines
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream source, JsonTypeInfo<T> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var value = JsonSerializer.Deserialize(line, typeInfo);
            if (value is not null)
                yield return value;
        }
    }
}
