using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.Cri.Network;

/// <summary>What a CNI plugin is told beyond its configuration (CNI spec 1.0, section 3: the CNI_* environment).</summary>
internal sealed record CniInvocation(string ContainerId, string NetnsPath, string InterfaceName, string Args);

/// <summary>A CNI plugin that failed: its error code and message (the spec's error result), or how it died.</summary>
internal sealed class CniException(string message) : Exception(message);

/// <summary>Runs CNI plugins: the executable named by the plugin's <c>type</c> in the plugin directory.</summary>
internal sealed class CniPlugins(string binDirectory)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <returns>The plugin's result (null when it printed none, as DEL does).</returns>
    public async Task<JsonNode?> InvokeAsync(string command, string type, string stdin, CniInvocation invocation, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDirectory, type);
        if (type.Contains('/') || !File.Exists(path)) throw new CniException($"failed to find plugin \"{type}\" in path [{binDirectory}]");
        var start = new ProcessStartInfo(path) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = invocation.ContainerId;
        start.Environment["CNI_NETNS"] = invocation.NetnsPath;
        start.Environment["CNI_IFNAME"] = invocation.InterfaceName;
        start.Environment["CNI_ARGS"] = invocation.Args;
        start.Environment["CNI_PATH"] = binDirectory;
        using var process = Process.Start(start) ?? throw new CniException($"{type}: could not start");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new CniException($"{type} {command}: no answer within {Timeout.TotalSeconds:0} s");
        }
        var text = await output;
        if (process.ExitCode != 0) throw new CniException($"plugin type=\"{type}\" failed ({command}): {ErrorOf(text, await errors)}");
        return text.Trim().Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>The spec's error result (<c>{"code":…,"msg":…,"details":…}</c>), or what the plugin wrote to stderr.</summary>
    private static string ErrorOf(string stdout, string stderr)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject error && error["msg"]?.GetValue<string>() is { } message)
                return error["details"]?.GetValue<string>() is { Length: > 0 } details ? $"{message}: {details}" : message;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            // Not the spec's error: fall back to stderr.
        }
        return stderr.Trim().Length > 0 ? stderr.Trim() : stdout.Trim();
    }
}
