using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Berth.Api.Models.Streams;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands.Build;

public sealed class BuildCommandTests : IDisposable
{
    private readonly TempDirectory _context = new();
    private readonly TestCli _cli = new();

    public BuildCommandTests()
    {
        File.WriteAllText(_context.Combine("Dockerfile"), "FROM scratch\nCOPY . /\n");
        File.WriteAllText(_context.Combine("app.txt"), "app");
        _cli.Client.BuildMessages.AddRange(
        [
            new JsonMessage { Stream = "Step 1/2 : FROM scratch\n" },
            new JsonMessage { Stream = " ---> \n" },
            new JsonMessage { Aux = JsonDocument.Parse("{\"ID\":\"sha256:" + new string('b', 64) + "\"}").RootElement },
            new JsonMessage { Stream = "Successfully built bbbbbbbbbbbb\n" },
        ]);
    }

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Sends_the_directory_and_prints_the_stream_as_it_comes()
    {
        Assert.Equal(0, await _cli.RunAsync("build", "-t", "app:1", "-t", "app:latest", _context.Path));

        var request = Assert.Single(_cli.Client.BuildRequests);
        Assert.Equal(["app:1", "app:latest"], request.Tags);
        Assert.Equal("Dockerfile", request.Dockerfile);
        Assert.Matches(@"^Sending build context to Docker daemon +\d+(\.\d+)?kB\r\r\nStep 1/2 : FROM scratch\n ---> \nSuccessfully built bbbbbbbbbbbb\n$", _cli.Stdout);
        var entries = ContextTarReader.Read(_cli.Client.BuildContextBytes);
        Assert.Equal(["Dockerfile", "app.txt"], entries.Keys.Order());
        Assert.Equal((0, 0, "app"), (entries["app.txt"].Uid, entries["app.txt"].Gid, entries["app.txt"].Text));
    }

    [Theory]
    [InlineData("https://example.com/context.tar.gz")]
    [InlineData("git@example.com:org/repo.git#main:app")]
    [InlineData("github.com/org/repo")]
    public async Task A_url_is_sent_for_the_daemon_to_fetch_with_no_context(string url)
    {
        Assert.Equal(0, await _cli.RunAsync("build", "-f", "sub/Dockerfile", url));

        var request = Assert.Single(_cli.Client.BuildRequests);
        Assert.Equal((url, "sub/Dockerfile"), (request.RemoteContext, request.Dockerfile));
        Assert.Empty(_cli.Client.BuildContextBytes);
        Assert.DoesNotContain("Sending build context", _cli.Stdout);
    }

    [Fact]
    public async Task The_dockerignore_applies_but_the_dockerfile_and_itself_are_always_sent()
    {
        File.WriteAllText(_context.Combine(".dockerignore"), "*\n!app.txt\n");
        File.WriteAllText(_context.Combine("secret.key"), "x");

        Assert.Equal(0, await _cli.RunAsync("build", _context.Path));

        Assert.Equal([".dockerignore", "Dockerfile", "app.txt"], ContextTarReader.Read(_cli.Client.BuildContextBytes).Keys.Order());
    }

    [Fact]
    public async Task Quiet_prints_only_the_image_id_and_iidfile_writes_the_aux_id()
    {
        _cli.Client.BuildMessages.Clear();
        _cli.Client.BuildMessages.Add(new JsonMessage { Stream = "sha256:" + new string('c', 64) + "\n" });
        _cli.Client.BuildMessages.Add(new JsonMessage { Aux = JsonDocument.Parse("{\"ID\":\"sha256:" + new string('c', 64) + "\"}").RootElement });
        var iidfile = _context.Combine("iid");

        Assert.Equal(0, await _cli.RunAsync("build", "-q", "--iidfile", iidfile, _context.Path));

        Assert.True(_cli.Client.BuildRequests[0].Quiet);
        Assert.Equal("sha256:" + new string('c', 64) + "\n", _cli.Stdout);
        Assert.Equal("sha256:" + new string('c', 64) + "\n", File.ReadAllText(iidfile));
    }

    [Fact]
    public async Task Iidfile_without_an_aux_id_is_an_error()
    {
        _cli.Client.BuildMessages.RemoveAll(m => m.Aux is not null);
        var iidfile = _context.Combine("iid");
        File.WriteAllText(iidfile, "stale");

        Assert.Equal(1, await _cli.RunAsync("build", "--iidfile", iidfile, _context.Path));

        Assert.Equal($"Server did not provide an image ID. Cannot write {iidfile}\n", _cli.Stderr);
        Assert.False(File.Exists(iidfile));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(7, 7)]
    public async Task A_failing_build_exits_with_the_error_code(int? code, int exit)
    {
        _cli.Client.BuildMessages.Clear();
        _cli.Client.BuildMessages.Add(new JsonMessage { Stream = "Step 1/2 : RUN false\n" });
        _cli.Client.BuildMessages.Add(new JsonMessage
        {
            ErrorDetail = new JsonError { Code = code, Message = "The command '/bin/sh -c false' returned a non-zero code: 1" },
            Error = "The command '/bin/sh -c false' returned a non-zero code: 1",
        });

        Assert.Equal(exit, await _cli.RunAsync("build", _context.Path));

        Assert.EndsWith("Step 1/2 : RUN false\n", _cli.Stdout);
        Assert.Equal("The command '/bin/sh -c false' returned a non-zero code: 1\n", _cli.Stderr);
    }

    [Fact]
    public async Task Build_args_labels_and_flags_become_the_api_options()
    {
        _cli.Environment["FROM_ENV"] = "env-value";

        Assert.Equal(0, await _cli.RunAsync("build", "--build-arg", "A=1", "--build-arg", "FROM_ENV", "--build-arg", "UNSET",
            "--label", "team=core", "--label", "flag", "--target", "final", "--no-cache", "--pull", "--rm=false", "--force-rm",
            "--network", "host", "--add-host", "db=10.0.0.2", "--shm-size", "64m", "--cache-from", "a,b", "--platform", "linux/amd64",
            _context.Path));

        var request = _cli.Client.BuildRequests[0];
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["FROM_ENV"] = "env-value", ["UNSET"] = null }, request.BuildArgs);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "core", ["flag"] = "" }, request.Labels);
        Assert.Equal(("final", true, true, false, true), (request.Target, request.NoCache, request.Pull, request.Remove, request.ForceRemove));
        Assert.Equal(("host", 64L * 1024 * 1024, "linux/amd64"), (request.NetworkMode, request.ShmSize, request.Platform));
        Assert.Equal(["db:10.0.0.2"], request.ExtraHosts);
        Assert.Equal(["a", "b"], request.CacheFrom);
    }

    [Theory]
    [InlineData("-t", "UPPER:case", "invalid argument \"UPPER:case\" for \"-t, --tag\" flag: invalid reference format")]
    [InlineData("--add-host", "nocolon", "invalid argument \"nocolon\" for \"--add-host\" flag: bad format for add-host: \"nocolon\"")]
    [InlineData("--label", "=x", "invalid argument \"=x\" for \"--label\" flag: invalid label '=x': empty name")]
    [InlineData("--build-arg", "=x", "invalid argument \"=x\" for \"--build-arg\" flag: invalid environment variable: =x")]
    public async Task Bad_flag_values_are_refused_as_docker_does(string flag, string value, string message)
    {
        Assert.Equal(125, await _cli.RunAsync("build", flag, value, _context.Path));

        Assert.StartsWith(message, _cli.Stderr);
        Assert.Empty(_cli.Client.BuildRequests);
    }

    [Fact]
    public async Task A_missing_context_or_dockerfile_is_reported()
    {
        Assert.Equal(1, await _cli.RunAsync("build", _context.Combine("nope")));
        Assert.Equal($"unable to prepare context: path \"{_context.Combine("nope")}\" not found\n", _cli.Stderr);

        File.Delete(_context.Combine("Dockerfile"));
        Assert.Equal(1, await _cli.RunAsync("build", _context.Path));
        Assert.Equal($"unable to prepare context: cannot locate Dockerfile: \"{_context.Combine("Dockerfile")}\"\n", _cli.Stderr);
    }

    [Fact]
    public async Task A_dockerfile_outside_the_context_travels_under_a_random_name_that_the_dockerignore_hides()
    {
        using var elsewhere = new TempDirectory();
        File.WriteAllText(elsewhere.Combine("build.Dockerfile"), "FROM busybox\n");

        Assert.Equal(0, await _cli.RunAsync("build", "-f", elsewhere.Combine("build.Dockerfile"), _context.Path));

        var name = _cli.Client.BuildRequests[0].Dockerfile!;
        Assert.Matches(@"^\.dockerfile\.[0-9a-f]{20}$", name);
        var entries = ContextTarReader.Read(_cli.Client.BuildContextBytes);
        Assert.Equal("FROM busybox\n", entries[name].Text);
        Assert.Equal($".dockerignore\n{name}\n", entries[".dockerignore"].Text);
    }

    [Fact]
    public async Task Dockerfile_from_stdin_with_a_directory_context_keeps_the_existing_dockerignore()
    {
        File.WriteAllText(_context.Combine(".dockerignore"), "*.log");
        _cli.Stdin = new MemoryStream("FROM alpine\n"u8.ToArray());

        Assert.Equal(0, await _cli.RunAsync("build", "-f", "-", _context.Path));

        var name = _cli.Client.BuildRequests[0].Dockerfile!;
        var entries = ContextTarReader.Read(_cli.Client.BuildContextBytes);
        Assert.Equal("FROM alpine\n", entries[name].Text);
        Assert.Equal($"*.log\n{name}\n", entries[".dockerignore"].Text);
    }

    [Fact]
    public async Task A_dockerfile_on_stdin_is_sent_as_the_only_file_of_a_tar()
    {
        _cli.Stdin = new MemoryStream("FROM alpine\nRUN true\n"u8.ToArray());

        Assert.Equal(0, await _cli.RunAsync("build", "-"));

        Assert.Equal("Dockerfile", _cli.Client.BuildRequests[0].Dockerfile);
        Assert.Equal("FROM alpine\nRUN true\n", Assert.Single(ContextTarReader.Read(_cli.Client.BuildContextBytes)).Value.Text);
    }

    [Fact]
    public async Task A_tar_on_stdin_passes_through_unchanged()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "sub/Dockerfile") { DataStream = new MemoryStream("FROM x\n"u8.ToArray()) });
        _cli.Stdin = new MemoryStream(tar.ToArray());

        Assert.Equal(0, await _cli.RunAsync("build", "-f", "sub/Dockerfile", "-"));

        Assert.Equal(tar.ToArray(), _cli.Client.BuildContextBytes);
        Assert.Equal("sub/Dockerfile", _cli.Client.BuildRequests[0].Dockerfile);
    }

    [Fact]
    public async Task Stdin_cannot_be_both_the_context_and_the_dockerfile()
    {
        Assert.Equal(1, await _cli.RunAsync("build", "-f", "-", "-"));
        Assert.Equal("invalid argument: can't use stdin for both build context and dockerfile\n", _cli.Stderr);
    }

    [Fact]
    public async Task Compress_gzips_the_context()
    {
        Assert.Equal(0, await _cli.RunAsync("build", "--compress", _context.Path));

        Assert.Equal([0x1F, 0x8B], _cli.Client.BuildContextBytes[..2]);
        Assert.Contains("app.txt", ContextTarReader.Read(_cli.Client.BuildContextBytes).Keys);
    }

    [Fact]
    public async Task Image_build_and_builder_build_are_aliases()
    {
        Assert.Equal(0, await _cli.RunAsync("image", "build", _context.Path));
        Assert.Equal(0, await _cli.RunAsync("builder", "build", _context.Path));
        Assert.Equal(2, _cli.Client.BuildRequests.Count);
    }

    [Fact]
    public async Task Stored_credentials_travel_in_the_registry_config()
    {
        using var config = new TempDirectory();
        File.WriteAllText(config.Combine("config.json"), "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" +
            Convert.ToBase64String(Encoding.UTF8.GetBytes("me:secret")) + "\"}}}");
        _cli.Environment["DOCKER_CONFIG"] = config.Path;

        Assert.Equal(0, await _cli.RunAsync("build", _context.Path));

        var json = Encoding.UTF8.GetString(Convert.FromBase64String(_cli.Client.BuildRequests[0].RegistryConfig!.Replace('-', '+').Replace('_', '/')));
        using var document = JsonDocument.Parse(json);
        var entry = document.RootElement.GetProperty("registry.example:5000");
        Assert.Equal(("me", "secret"), (entry.GetProperty("username").GetString(), entry.GetProperty("password").GetString()));
    }
}
