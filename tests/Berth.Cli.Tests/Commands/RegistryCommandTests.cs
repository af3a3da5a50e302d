using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Api.Client;
using Berth.Api.Models.Streams;
using Berth.Api.Models.System;
using Berth.Cli.Tests.Cli;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Commands;

public sealed class RegistryCommandTests : IDisposable
{
    private const string Hub = "https://index.docker.io/v1/";
    private const string Unencrypted = "WARNING! Your credentials are stored unencrypted in '";

    private readonly TempDirectory _dir = new();
    private readonly TestCli _cli = new();

    public RegistryCommandTests() => _cli.Environment["DOCKER_CONFIG"] = _dir.Path;

    public void Dispose() => _dir.Dispose();

    private string ConfigPath => _dir.Combine("config.json");

    private void WriteConfig(string json) => File.WriteAllText(ConfigPath, json);

    private void WriteAuths(params (string Key, string UserColonPassword)[] entries)
    {
        var auths = new JsonObject();
        foreach (var (key, pair) in entries)
            auths[key] = new JsonObject { ["auth"] = Auth(pair) };
        WriteConfig(new JsonObject { ["auths"] = auths }.ToJsonString());
    }

    private JsonNode? StoredEntry(string key) => JsonNode.Parse(File.ReadAllText(ConfigPath))!["auths"]![key];

    private static string Auth(string userColonPassword) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword));

    [Theory]
    [InlineData("conflicting options: cannot specify both --password and --password-stdin", "-u", "me", "-p", "pw", "--password-stdin")]
    [InlineData("the --password-stdin option requires --username to be set", "--password-stdin")]
    [InlineData("username is empty", "-u", "")]
    [InlineData("password is empty", "-u", "me", "--password", "")]
    public async Task Login_rejects_inconsistent_flags_with_dockers_messages(string message, params string[] flags)
    {
        Assert.Equal(1, await _cli.RunAsync(["login", .. flags]));
        Assert.Equal(message + "\n", _cli.Stderr);
        Assert.Empty(_cli.Client.AuthRequests);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("-u", "me", "localhost:5000")]
    public async Task Login_without_a_terminal_cannot_prompt(params string[] args)
    {
        Assert.Equal(1, await _cli.RunAsync(["login", .. args]));
        Assert.Equal("Error: Cannot perform an interactive login from a non TTY device\n", _cli.Stderr);
        Assert.Empty(_cli.Client.AuthRequests);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task Login_with_password_flag_warns_checks_and_stores_under_the_hostname()
    {
        Assert.Equal(0, await _cli.RunAsync("login", "-u", "me", "-p", "s3cret", "https://localhost:5000/v1/"));
        Assert.Equal("Login Succeeded\n", _cli.Stdout);
        Assert.StartsWith("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n\n" + Unencrypted + ConfigPath + "'.\n", _cli.Stderr);
        var sent = _cli.Client.AuthRequests.Single();
        Assert.Equal(("me", "s3cret", "localhost:5000"), (sent.Username, sent.Password, sent.ServerAddress));
        Assert.Equal(Auth("me:s3cret"), StoredEntry("localhost:5000")!["auth"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_reads_the_password_from_stdin_and_defaults_to_docker_hub()
    {
        _cli.Stdin = new MemoryStream(" pass word \r\n"u8.ToArray());
        Assert.Equal(0, await _cli.RunAsync("login", "--username", "me", "--password-stdin"));
        Assert.Equal("Login Succeeded\n", _cli.Stdout);
        Assert.DoesNotContain("--password via the CLI", _cli.Stderr);
        var sent = _cli.Client.AuthRequests.Single();
        Assert.Equal(("me", "pass word", Hub), (sent.Username, sent.Password, sent.ServerAddress));
        Assert.Equal(Auth("me:pass word"), StoredEntry(Hub)!["auth"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_stores_the_identity_token_in_place_of_the_password()
    {
        WriteConfig("""{"psFormat":"table {{.ID}}","auths":{"other.example":{"auth":"eDp5"}}}""");
        _cli.Client.Auth = _ => new AuthResponse { Status = "Login Succeeded", IdentityToken = "tok" };
        Assert.Equal(0, await _cli.RunAsync("login", "-u", "me", "-p", "pw", "localhost:5000"));
        Assert.DoesNotContain(Unencrypted, _cli.Stderr);
        Assert.Equal("""{"auth":"bWU6","identitytoken":"tok"}""", StoredEntry("localhost:5000")!.ToJsonString());
        var config = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal(("table {{.ID}}", "eDp5"), (config["psFormat"]!.GetValue<string>(), config["auths"]!["other.example"]!["auth"]!.GetValue<string>()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
    }

    [Fact]
    public async Task A_refused_login_is_the_daemons_error_and_stores_nothing()
    {
        _cli.Client.Auth = _ => throw new ApiException(HttpStatusCode.Unauthorized, "login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized");
        Assert.Equal(1, await _cli.RunAsync("login", "-u", "me", "-p", "bad", "localhost:5000"));
        Assert.EndsWith("Error response from daemon: login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized\n", _cli.Stderr);
        Assert.Equal("", _cli.Stdout);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task Login_without_flags_reuses_stored_credentials()
    {
        WriteAuths((Hub, "me:pw"));
        Assert.Equal(0, await _cli.RunAsync("login"));
        Assert.Equal("Login Succeeded\n", _cli.Stdout);
        Assert.Equal("Authenticating with existing credentials... [Username: me]\n\n Info -> To login with a different account, run 'berth logout' followed by 'berth login'\n\n\n",
            _cli.Stderr);
        var sent = _cli.Client.AuthRequests.Single();
        Assert.Equal(("me", "pw", Hub), (sent.Username, sent.Password, sent.ServerAddress));
    }

    [Fact]
    public async Task Refused_stored_credentials_lead_to_a_prompt()
    {
        WriteAuths(("localhost:5000", "me:old"));
        _cli.Client.Auth = c => c.Password == "old" ? throw new ApiException(HttpStatusCode.Unauthorized, "unauthorized") : new AuthResponse { Status = "Login Succeeded" };
        Assert.Equal(1, await _cli.RunAsync("login", "localhost:5000"));
        Assert.EndsWith("Stored credentials invalid or expired\nError: Cannot perform an interactive login from a non TTY device\n", _cli.Stderr);

        _cli.Terminal.IsStdinTerminal = true;
        _cli.Stdin = new MemoryStream("\nnew\n"u8.ToArray());
        Assert.Equal(0, await _cli.RunAsync("login", "localhost:5000"));
        Assert.Equal("Username (me): Password: \nLogin Succeeded\n", _cli.Stdout);
        Assert.Equal(Auth("me:new"), StoredEntry("localhost:5000")!["auth"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_on_a_terminal_prompts_without_echoing_the_password()
    {
        _cli.Terminal.IsStdinTerminal = true;
        _cli.Stdin = new MemoryStream("me\nsecret\n"u8.ToArray());
        Assert.Equal(0, await _cli.RunAsync("login", "registry.example.com"));
        Assert.Equal("Username: Password: \nLogin Succeeded\n", _cli.Stdout);
        Assert.Equal((1, 1), (_cli.Terminal.EchoOffCount, _cli.Terminal.EchoRestoredCount));
        Assert.Equal(("me", "secret"), (_cli.Client.AuthRequests.Single().Username, _cli.Client.AuthRequests.Single().Password));

        _cli.Stdin = new MemoryStream(" \n"u8.ToArray());
        Assert.Equal(1, await _cli.RunAsync("login", "-u", "other", "registry.example.com"));
        Assert.Equal("Error: Password Required\n", _cli.Stderr);
    }

    [Fact]
    public async Task Logout_of_a_registry_never_logged_in_succeeds_and_writes_nothing()
    {
        Assert.Equal(0, await _cli.RunAsync("logout", "localhost:5000"));
        Assert.Equal("Removing login credentials for localhost:5000\n", _cli.Stdout);
        Assert.Equal("", _cli.Stderr);
        Assert.False(File.Exists(ConfigPath));

        Assert.Equal(0, await _cli.RunAsync("logout"));
        Assert.Equal("Removing login credentials for " + Hub + "\n", _cli.Stdout);
    }

    [Fact]
    public async Task Logout_removes_the_server_under_its_old_spellings_and_keeps_the_rest()
    {
        WriteConfig($$$"""
            {"auths":{"localhost:5000":{"auth":"eDp5"},"https://localhost:5000":{"auth":"eDp5"},"https://localhost:5000/v1/":{"auth":"eDp5"},
            "{{{Hub}}}":{"auth":"eDp5"}},"detachKeys":"ctrl-x"}
            """);
        Assert.Equal(0, await _cli.RunAsync("logout", "http://localhost:5000/"));
        Assert.Equal("Removing login credentials for localhost:5000\n", _cli.Stdout);
        var config = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal(["https://localhost:5000/v1/", Hub], config["auths"]!.AsObject().Select(p => p.Key));
        Assert.Equal("ctrl-x", config["detachKeys"]!.GetValue<string>());
    }

    private void AddPushProgress()
    {
        _cli.Client.PushMessages.AddRange(
        [
            new JsonMessage { Status = "The push refers to repository [docker.io/library/busybox]" },
            new JsonMessage { Status = "Preparing", Id = "abc", ProgressDetail = new() },
            new JsonMessage { Status = "Pushing", Id = "abc", ProgressDetail = new() { Current = 5, Total = 10 }, Progress = "[=>  ]" },
            new JsonMessage { Status = "Pushed", Id = "abc", ProgressDetail = new() },
            new JsonMessage { Status = "latest: digest: sha256:" + new string('d', 64) + " size: 527" },
            new JsonMessage { Aux = System.Text.Json.JsonDocument.Parse("""{"Tag":"latest","Digest":"sha256:dd","Size":527}""").RootElement.Clone() },
        ]);
    }

    [Fact]
    public async Task Push_prints_progress_lines_without_a_terminal()
    {
        AddPushProgress();
        Assert.Equal(0, await _cli.RunAsync("push", "busybox"));
        Assert.Equal("Using default tag: latest\nThe push refers to repository [docker.io/library/busybox]\nabc: Preparing\nabc: Pushed\n" +
            "latest: digest: sha256:" + new string('d', 64) + " size: 527\n", _cli.Stdout);
        Assert.Equal("Push docker.io/library/busybox tag=latest", _cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Push_redraws_one_line_per_layer_on_a_terminal()
    {
        AddPushProgress();
        _cli.Terminal.IsStdoutTerminal = true;
        _cli.Terminal.Size = (24, 80);
        Assert.Equal(0, await _cli.RunAsync("image", "push", "busybox:1.36"));
        // The progress is drawn here from progressDetail (no bar at 80 columns), not the daemon's "progress" text.
        Assert.Equal("The push refers to repository [docker.io/library/busybox]\n" +
            "\n\x1b[1A\x1b[2K\rabc: Preparing \r\x1b[1B" +
            "\x1b[1A\x1b[2K\rabc: Pushing       5B/10B\r\x1b[1B" +
            "\x1b[1A\x1b[2K\rabc: Pushed \r\x1b[1B" +
            "latest: digest: sha256:" + new string('d', 64) + " size: 527\n", _cli.Stdout);
        Assert.Equal("Push docker.io/library/busybox tag=1.36", _cli.Client.Calls.Single());
    }

    [Fact]
    public async Task Push_quiet_prints_only_the_reference_pushed()
    {
        AddPushProgress();
        Assert.Equal(0, await _cli.RunAsync("push", "-q", "busybox"));
        Assert.Equal("docker.io/library/busybox:latest\n", _cli.Stdout);
        Assert.Equal(0, await _cli.RunAsync("push", "-a", "-q", "localhost:5000/tools/bb"));
        Assert.Equal("localhost:5000/tools/bb\n", _cli.Stdout);
        Assert.Null(_cli.Client.PushRequests[1].Tag);
    }

    [Theory]
    [InlineData("tag can't be used with --all-tags/-a", "-a", "busybox:1")]
    [InlineData("cannot push a digest reference", "busybox@sha256:0123456789012345678901234567890123456789012345678901234567890123")]
    public async Task Push_refuses_what_docker_refuses(string message, params string[] args)
    {
        Assert.Equal(1, await _cli.RunAsync(["push", .. args]));
        Assert.Equal(message + "\n", _cli.Stderr);
        Assert.Empty(_cli.Client.PushRequests);
    }

    [Fact]
    public async Task A_push_error_in_the_stream_fails_like_pull()
    {
        _cli.Client.PushMessages.Add(new JsonMessage { Error = "denied: requested access to the resource is denied", ErrorDetail = new() { Message = "denied: requested access to the resource is denied" } });
        Assert.Equal(1, await _cli.RunAsync("push", "-q", "busybox"));
        Assert.Equal("denied: requested access to the resource is denied\n", _cli.Stderr);
        Assert.Equal("", _cli.Stdout);
    }

    [Fact]
    public async Task Pull_push_and_runs_implicit_pull_send_the_registrys_stored_credentials()
    {
        WriteAuths((Hub, "hub:hubpw"), ("https://localhost:5000/v1/", "me:pw"));
        const string Local = """{"username":"me","password":"pw","serveraddress":"https://localhost:5000/v1/"}""";
        const string HubJson = """{"username":"hub","password":"hubpw","serveraddress":"https://index.docker.io/v1/"}""";

        await _cli.RunAsync("pull", "localhost:5000/tools/bb:v1");
        await _cli.RunAsync("pull", "busybox");
        await _cli.RunAsync("pull", "quay.io/x/y");
        Assert.Equal([Local, HubJson, "{}"], _cli.Client.PullRequests.Select(p => RegistryCredentialsTests.DecodeHeader(p.RegistryAuth!)));

        await _cli.RunAsync("push", "localhost:5000/tools/bb:v1");
        Assert.Equal(Local, RegistryCredentialsTests.DecodeHeader(_cli.Client.PushRequests.Single().RegistryAuth!));

        _cli.Client.KnownImages = [];
        Assert.Equal(0, await _cli.RunAsync("run", "-d", "index.docker.io/library/alpine"));
        Assert.Equal(HubJson, RegistryCredentialsTests.DecodeHeader(_cli.Client.PullRequests[^1].RegistryAuth!));
    }

    [Fact]
    public async Task The_config_flag_chooses_the_directory_and_a_broken_config_only_warns()
    {
        using var other = new TempDirectory();
        File.WriteAllText(other.Combine("config.json"), "{broken");
        Assert.Equal(0, await _cli.RunAsync("--config", other.Path, "pull", "busybox"));
        Assert.StartsWith($"WARNING: Error parsing config file ({other.Combine("config.json")}): ", _cli.Stderr);
        Assert.Equal("e30=", _cli.Client.PullRequests.Single().RegistryAuth);

        Assert.Equal(1, await _cli.RunAsync("--config", other.Path, "login", "-u", "me", "-p", "pw", "localhost:5000"));
        Assert.Contains("Error saving credentials: not overwriting ", _cli.Stderr);
        Assert.Equal("{broken", File.ReadAllText(other.Combine("config.json")));
    }
}
