using System.Diagnostics;
using Berth.Build;

namespace Berth.Engine.Builds;

/// <summary>
/// A git remote context fetched as moby's classic builder fetches it, with the host's <c>git</c>: <c>URL#ref:subdir</c>
/// (ref <c>master</c> by default), a shallow fetch of the ref (not from a dumb HTTP server, which cannot serve one), the
/// ref checked out (or what was fetched, for a commit or a <c>pull/N/head</c>), submodules too. Git runs without the
/// system's or the user's config, and neither the repository nor its submodules may name local files as remotes.
/// </summary>
internal static class GitCheckout
{
    /// <summary>Fetches the repository into <paramref name="directory"/> (empty) and returns the context directory in it.</summary>
    /// <exception cref="BuildException">a bad ref, git missing or failing, a subdirectory that is not one; with git's output.</exception>
    public static async Task<string> CloneAsync(string url, string directory, HttpClient http, CancellationToken cancellationToken)
    {
        var (remote, reference, subdirectory) = Parse(url);
        await GitAsync(directory, ["init"], "failed to init repo at " + directory, cancellationToken);
        await GitAsync(directory, ["remote", "add", "origin", remote], $"failed add origin repo at {remote}", cancellationToken);
        List<string> fetch = ["fetch"];
        if (await SupportsShallowAsync(remote, http, cancellationToken)) fetch.AddRange(["--depth", "1"]);
        await GitAsync(directory, [.. fetch, "origin", "--", reference], "error fetching", cancellationToken);
        // A branch or tag name checks out by name; anything else (a commit, pull/N/head) is what the fetch brought.
        var (code, output) = await RunAsync(directory, ["checkout", reference], cancellationToken);
        if (code != 0 && (await RunAsync(directory, ["checkout", "FETCH_HEAD"], cancellationToken)).Code != 0)
            throw new BuildException($"error checking out {reference}: {output}");
        await GitAsync(directory, ["submodule", "update", "--init", "--recursive", "--depth=1"], "error initializing submodules", cancellationToken);
        if (subdirectory.Length == 0) return directory;
        var context = ScopedPath.ResolveOnDisk(directory, subdirectory);
        if (Linux.FileStatus.TryGet(context) is not { } status) throw new BuildException($"stat {context}: no such file or directory");
        if (status.Kind != Linux.FileKind.Directory) throw new BuildException($"error setting git context, not a directory: {context}");
        return context;
    }

    /// <summary>
    /// The remote without its fragment, the ref and the subdirectory. An address that names no transport is an
    /// https one (<c>github.com/org/repo</c>); <c>git@host:repo</c> is scp-like syntax, not a URL.
    /// </summary>
    internal static (string Remote, string Reference, string Subdirectory) Parse(string url)
    {
        if (!IsGitTransport(url)) url = "https://" + url;
        var hash = url.IndexOf('#');
        var (remote, fragment) = hash < 0 ? (url, "") : (url[..hash], url[(hash + 1)..]);
        var colon = fragment.IndexOf(':');
        var (reference, subdirectory) = colon < 0 ? (fragment, "") : (fragment[..colon], fragment[(colon + 1)..]);
        if (reference.Length == 0) reference = "master";
        if (reference.StartsWith('-')) throw new BuildException($"invalid refspec: {reference}");
        return (remote, reference, subdirectory);
    }

    private static bool IsGitTransport(string url) =>
        url.StartsWith("git@", StringComparison.Ordinal)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "git" or "http" or "https" or "ssh");

    /// <summary>Non-HTTP transports can fetch shallow; over HTTP only a smart server (which answers the upload-pack query) can.</summary>
    private static async Task<bool> SupportsShallowAsync(string remote, HttpClient http, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(remote, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return true;
        var query = remote + "/info/refs?service=git-upload-pack";
        foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get })
        {
            try
            {
                using var response = await http.SendAsync(new HttpRequestMessage(method, query), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return response.Content.Headers.ContentType?.MediaType == "application/x-git-upload-pack-advertisement";
            }
            catch (HttpRequestException)
            {
            }
        }
        return false;
    }

    private static async Task GitAsync(string directory, IReadOnlyList<string> args, string failure, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(directory, args, cancellationToken);
        if (code != 0) throw new BuildException($"{failure}: {output}");
    }

    /// <summary>Runs git isolated from the host's config; returns its exit code and its output (both streams).</summary>
    private static async Task<(int Code, string Output)> RunAsync(string directory, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["GIT_PROTOCOL_FROM_USER"] = "0", ["GIT_CONFIG_NOSYSTEM"] = "1", ["HOME"] = "/dev/null", ["GIT_TERMINAL_PROMPT"] = "0" },
        };
        foreach (var arg in (string[])["-c", "protocol.file.allow=never", .. args]) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (global::System.ComponentModel.Win32Exception e)
        {
            throw new BuildException("unable to build from a git context: git is not installed on the daemon's host", inner: e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return (process.ExitCode, ((await output) + (await errors)).Trim());
        }
    }
}
