using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Remote build contexts (<c>berth build URL</c>, which berthd fetches as the API's <c>remote</c> parameter asks): a
/// context tarball and a plain Dockerfile from an HTTP server on 127.0.0.1, a git repository served by <c>git daemon</c>
/// on 127.0.0.1 with <c>#ref:subdir</c>, and Docker's errors for what cannot be fetched; nothing stays behind.
/// </summary>
public sealed class RemoteBuildTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly string _work = Directory.CreateTempSubdirectory("berth-remote-build-").FullName;

    public RemoteBuildTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        Assert.True(File.Exists(RepoPaths.Cli), $"{RepoPaths.Cli} is missing: run scripts/build.sh first");
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private CommandResult Berth(params string[] args) => _daemon.Berth(args);

    private string BuilderRoot => Path.Combine(_daemon.DataRoot, "builder", "contexts");

    [PrivilegedFact]
    public void Builds_a_tarball_or_a_dockerfile_from_a_url_and_reports_what_cannot_be_fetched()
    {
        var source = Directory.CreateDirectory(Path.Combine(_work, "tarball")).FullName;
        File.WriteAllText(Path.Combine(source, "Dockerfile"), "FROM busybox\nCOPY message.txt /message.txt\nCMD [\"cat\", \"/message.txt\"]\n");
        File.WriteAllText(Path.Combine(source, "message.txt"), "from a tarball\n");
        var tarball = Path.Combine(_work, "context.tar.gz");
        Commands.Run("tar", ["-C", source, "-czf", tarball, "."]).Ok("tar");
        var files = new Dictionary<string, (string Type, byte[] Body)>
        {
            ["/context.tar.gz"] = ("application/x-gzip", File.ReadAllBytes(tarball)),
            ["/Dockerfile"] = ("application/octet-stream", "FROM busybox\nLABEL from=url\n"u8.ToArray()),
            ["/page.html"] = ("text/html", "<html></html>"u8.ToArray()),
        };
        using var server = new FileServer(files);

        Berth("build", "-t", "remote:tarball", server.Url("/context.tar.gz")).Ok("build from a tarball");
        Assert.Equal("from a tarball", Berth("run", "--rm", "remote:tarball").Ok("run").Output);

        Berth("build", "-t", "remote:dockerfile", server.Url("/Dockerfile")).Ok("build from a Dockerfile");
        Assert.Equal("url", Berth("image", "inspect", "-f", "{{.Config.Labels.from}}", "remote:dockerfile").Ok("label").Output);

        var html = Berth("build", server.Url("/page.html"));
        Assert.Equal(1, html.ExitCode);
        Assert.Contains($"error detecting content type for remote {server.Url("/page.html")}: unsupported Content-Type \"text/html\"", html.Stderr);

        var missing = Berth("build", server.Url("/missing.tar"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"failed to GET {server.Url("/missing.tar")} with status 404 Not Found", missing.Stderr);

        Assert.Empty(Directory.EnumerateDirectories(BuilderRoot));
        Berth("rmi", "remote:tarball", "remote:dockerfile");
    }

    [PrivilegedFact]
    public void Builds_a_git_repository_at_a_ref_and_subdirectory()
    {
        var repository = Path.Combine(_work, "repos", "app.git");
        Directory.CreateDirectory(Path.Combine(repository, "service"));
        void Git(params string[] args) =>
            Commands.Run("git", ["-C", repository, "-c", "user.name=test", "-c", "user.email=test@example.invalid", .. args]).Ok("git " + args[0]);
        Git("init", "-q", "-b", "master");
        File.WriteAllText(Path.Combine(repository, "service", "Dockerfile"), "FROM busybox\nCOPY . /src/\nCMD [\"cat\", \"/src/branch.txt\"]\n");
        File.WriteAllText(Path.Combine(repository, "service", "branch.txt"), "master\n");
        File.WriteAllText(Path.Combine(repository, "Dockerfile"), "FROM busybox\nCOPY service/branch.txt /branch.txt\nCMD [\"cat\", \"/branch.txt\"]\n");
        Git("add", ".");
        Git("commit", "-q", "-m", "master");
        Git("checkout", "-q", "-b", "feature");
        File.WriteAllText(Path.Combine(repository, "service", "branch.txt"), "feature\n");
        Git("commit", "-q", "-am", "feature");
        using var daemon = new GitDaemon(Path.Combine(_work, "repos"));

        Berth("build", "-t", "remote:git", daemon.Url("app.git")).Ok("build master");
        Assert.Equal("master", Berth("run", "--rm", "remote:git").Ok("run master").Output);

        Berth("build", "-t", "remote:git", daemon.Url("app.git#feature:service")).Ok("build the feature branch's subdirectory");
        Assert.Equal("feature", Berth("run", "--rm", "remote:git").Ok("run feature").Output);

        var badRef = Berth("build", daemon.Url("app.git#nosuch"));
        Assert.Equal(1, badRef.ExitCode);
        Assert.Contains("error fetching: ", badRef.Stderr);
        var notDirectory = Berth("build", daemon.Url("app.git#master:Dockerfile"));
        Assert.Contains("error setting git context, not a directory: ", notDirectory.Stderr);
        Assert.Contains("invalid refspec: -x", Berth("build", daemon.Url("app.git#-x")).Stderr);

        Assert.Empty(Directory.EnumerateDirectories(BuilderRoot));
        Berth("rmi", "remote:git");
    }

    [PrivilegedFact]
    public async Task An_address_that_is_no_url_is_refused_by_the_daemon()
    {
        using var client = _daemon.ApiClient();
        using var response = await client.PostAsync("/build?remote=ftp%3A%2F%2F127.0.0.1%2Fcontext.tar", new ByteArrayContent([]));
        Assert.Contains("remoteURL (ftp://127.0.0.1/context.tar) could not be recognized as URL", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Serves fixed files with their Content-Type on 127.0.0.1; anything else is a 404.</summary>
    private sealed class FileServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _port = DaemonProcess.FreePort();

        public FileServer(Dictionary<string, (string Type, byte[] Body)> files)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    if (files.TryGetValue(context.Request.Url!.AbsolutePath, out var file))
                    {
                        context.Response.ContentType = file.Type;
                        await context.Response.OutputStream.WriteAsync(file.Body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }
                    context.Response.Close();
                }
            });
        }

        public string Url(string path) => $"http://127.0.0.1:{_port}{path}";

        public void Dispose() => _listener.Close();
    }

    /// <summary><c>git-daemon</c> exporting a directory's repositories on 127.0.0.1, stopped (this process only) on dispose.</summary>
    private sealed class GitDaemon : IDisposable
    {
        private readonly Process _process;
        private readonly int _port = DaemonProcess.FreePort();

        public GitDaemon(string basePath)
        {
            // git-daemon itself, not `git daemon`: the git wrapper would run it as a child that outlives a kill of the wrapper.
            var gitDaemon = Path.Combine(Commands.Run("git", ["--exec-path"]).Ok("git --exec-path").Output, "git-daemon");
            _process = Process.Start(new ProcessStartInfo(gitDaemon,
                ["--reuseaddr", "--export-all", "--listen=127.0.0.1", $"--port={_port}", $"--base-path={basePath}", basePath])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            Wait.Until(() =>
            {
                using var probe = new TcpClient();
                try
                {
                    probe.Connect(IPAddress.Loopback, _port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, "git daemon listens");
        }

        public string Url(string path) => $"git://127.0.0.1:{_port}/{path}";

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
