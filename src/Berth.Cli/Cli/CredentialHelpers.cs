using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Cli.Cli;

/// <summary>
/// The docker-credential-helpers protocol: <c>docker-credential-NAME get|store|erase</c>, found on <c>$PATH</c>, reads
/// the server URL (get, erase) or <c>{"ServerURL","Username","Secret"}</c> (store) on stdin and answers get with that
/// JSON on stdout. A failure exits non-zero with its message on stdout; <see cref="NotFoundMessage"/> is not a failure
/// for get. An identity token is stored as the Secret of the user <see cref="TokenUsername"/>. The helper's stderr is ours.
/// </summary>
internal sealed class CredentialHelpers(Func<string, string?> environment)
{
    public const string TokenUsername = "<token>";
    private const string NotFoundMessage = "credentials not found in native keychain";
    private const string Prefix = "docker-credential-";

    /// <summary>The stored username and secret; null when the helper has none for <paramref name="serverUrl"/>.</summary>
    /// <exception cref="CredentialHelperException">The helper is missing, failed, or answered something else than JSON.</exception>
    public async Task<(string Username, string Secret)?> GetAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(helper, "get", "getting", serverUrl, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            if (output.Trim() == NotFoundMessage)
                return null;
            throw Failed("getting", $"exit status {code}", output);
        }
        try
        {
            using var answer = JsonDocument.Parse(output);
            return (Field(answer.RootElement, "Username"), Field(answer.RootElement, "Secret"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Failed("getting", e.Message, output);
        }
    }

    public async Task StoreAsync(string helper, string serverUrl, string username, string secret, CancellationToken cancellationToken)
    {
        var json = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("ServerURL", serverUrl);
            writer.WriteString("Username", username);
            writer.WriteString("Secret", secret);
            writer.WriteEndObject();
        }
        var (code, output) = await RunAsync(helper, "store", "storing", Encoding.UTF8.GetString(json.ToArray()) + "\n", cancellationToken).ConfigureAwait(false);
        if (code != 0)
            throw Failed("storing", $"exit status {code}", output);
    }

    public async Task EraseAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(helper, "erase", "erasing", serverUrl, cancellationToken).ConfigureAwait(false);
        if (code != 0)
            throw Failed("erasing", $"exit status {code}", output);
    }

    private async Task<(int Code, string Output)> RunAsync(string helper, string action, string verb, string input, CancellationToken cancellationToken)
    {
        var name = Prefix + helper;
        var path = FindOnPath(name) ?? throw Failed(verb, $"exec: \"{name}\": executable file not found in $PATH", "");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(action);
        try
        {
            using var process = Process.Start(start) ?? throw new CredentialHelperException($"{name} did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
            var text = await output.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, text);
        }
        catch (Win32Exception e)
        {
            throw new CredentialHelperException($"{name}: {e.Message}");
        }
    }

    /// <summary>Go's <c>exec.LookPath</c> for a bare name: the first executable file of that name in a <c>$PATH</c> directory.</summary>
    private string? FindOnPath(string name)
    {
        foreach (var directory in (environment("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(directory.Length == 0 ? "." : directory, name);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }

    private static string Field(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    /// <summary>docker's texts: <c>error getting credentials - err: exit status 1, out: `…`</c>.</summary>
    private static CredentialHelperException Failed(string verb, string error, string output) =>
        new($"error {verb} credentials - err: {error}, out: `{output.Trim()}`");
}

/// <summary>A credential helper could not be run or reported a failure; the message is docker's.</summary>
internal sealed class CredentialHelperException(string message) : Exception(message);
