using System.Text;
using System.Text.Json.Nodes;
using Berth.Api.Models.System;
using Berth.Cli.Cli;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Cli;

public sealed class RegistryCredentialsTests
{
    private const string Hub = "https://index.docker.io/v1/";

    [Theory]
    [InlineData("docker.io", Hub)]
    [InlineData("index.docker.io", Hub)]
    [InlineData("localhost:5000", "localhost:5000")]
    [InlineData("registry.example.com", "registry.example.com")]
    public void A_domain_has_dockers_key(string domain, string key) => Assert.Equal(key, RegistryCredentials.KeyForDomain(domain));

    [Theory]
    [InlineData("https://myreg:5000/v1/", "myreg:5000")]
    [InlineData("http://myreg", "myreg")]
    [InlineData("https://user@myreg.example/v2/x?y", "myreg.example")]
    [InlineData("https://[::1]:5000/v1/", "[::1]:5000")]
    [InlineData("myreg:5000/v2/", "myreg:5000")]
    [InlineData("localhost:5000", "localhost:5000")]
    [InlineData(Hub, "index.docker.io")]
    public void ConvertToHostname_strips_scheme_and_path(string address, string hostname) =>
        Assert.Equal(hostname, RegistryCredentials.ConvertToHostname(address));

    [Fact]
    public async Task Keys_resolve_to_hub_host_port_and_stored_urls()
    {
        using var dir = new TempDirectory();
        var credentials = await Load(dir, new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [Hub] = Entry("hubuser:hubpw"),
                ["https://myreg:5000/v1/"] = Entry("urluser:urlpw"),
                ["localhost:5000"] = Entry("local:pw"),
            },
        });
        Assert.Equal("hubuser", (await credentials.GetAsync(RegistryCredentials.KeyForDomain("docker.io"), default)).Username);
        Assert.Equal("local", (await credentials.GetAsync("localhost:5000", default)).Username);
        var legacy = await credentials.GetAsync("myreg:5000", default);
        Assert.Equal(("urluser", "urlpw", "https://myreg:5000/v1/"), (legacy.Username, legacy.Password, legacy.ServerAddress));
        Assert.Null((await credentials.GetAsync("other:1", default)).Username);
        Assert.Null((await credentials.GetAsync("localhost:5001", default)).Username);
    }

    [Fact]
    public async Task The_registry_auth_header_is_base64url_json_of_the_stored_credentials()
    {
        using var dir = new TempDirectory();
        var credentials = await Load(dir, new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [Hub] = Entry("me:p?>?"),
                ["localhost:5000"] = new JsonObject { ["auth"] = Convert.ToBase64String("me:"u8.ToArray()), ["identitytoken"] = "tok" },
            },
        });
        var hub = await credentials.RegistryAuthAsync("docker.io", default);
        Assert.DoesNotContain('+', hub);
        Assert.DoesNotContain('/', hub);
        Assert.Equal("""{"username":"me","password":"p?>?","serveraddress":"https://index.docker.io/v1/"}""", DecodeHeader(hub));
        Assert.Equal("""{"username":"me","serveraddress":"localhost:5000","identitytoken":"tok"}""",
            DecodeHeader(await credentials.RegistryAuthAsync("localhost:5000", default)));
        Assert.Equal("e30=", await credentials.RegistryAuthAsync("quay.io", default));
    }

    [Fact]
    public async Task A_credential_helper_gets_stores_and_erases_and_config_json_keeps_no_secret()
    {
        using var dir = new TempDirectory();
        var helper = new FakeHelper(dir);
        var err = new StringWriter();
        var credentials = await Load(dir, new JsonObject { ["credsStore"] = "fake", ["psFormat"] = "x" }, helper.Environment, err);

        await credentials.StoreAsync(new AuthConfig { Username = "me", Password = "pw", ServerAddress = "localhost:5000" }, default);
        Assert.Equal("""{"ServerURL":"localhost:5000","Username":"me","Secret":"pw"}""" + "\n", helper.Read("stored"));
        var config = JsonNode.Parse(File.ReadAllText(dir.Combine("config.json")))!;
        Assert.Equal("{}", config["auths"]!["localhost:5000"]!.ToJsonString());
        Assert.Equal("x", config["psFormat"]!.GetValue<string>());
        Assert.Equal("", err.ToString());

        await credentials.StoreAsync(new AuthConfig { Username = "me", IdentityToken = "tok", ServerAddress = "localhost:5000" }, default);
        Assert.Equal("""{"ServerURL":"localhost:5000","Username":"<token>","Secret":"tok"}""" + "\n", helper.Read("stored"));

        helper.Answer("""{"ServerURL":"localhost:5000","Username":"me","Secret":"pw"}""");
        Assert.Equal("""{"username":"me","password":"pw","serveraddress":"localhost:5000"}""",
            DecodeHeader(await credentials.RegistryAuthAsync("localhost:5000", default)));
        Assert.Equal("localhost:5000", helper.Read("got"));
        helper.Answer("""{"ServerURL":"localhost:5000","Username":"<token>","Secret":"tok"}""");
        Assert.Equal("""{"serveraddress":"localhost:5000","identitytoken":"tok"}""",
            DecodeHeader(await credentials.RegistryAuthAsync("localhost:5000", default)));
        helper.Answer(null);
        Assert.Equal("e30=", await credentials.RegistryAuthAsync("localhost:5000", default));

        await credentials.EraseAsync("localhost:5000", default);
        Assert.Equal("localhost:5000", helper.Read("erased"));
        Assert.Null(JsonNode.Parse(File.ReadAllText(dir.Combine("config.json")))!["auths"]!["localhost:5000"]);
    }

    [Fact]
    public async Task A_missing_helper_fails_with_dockers_message_and_pulls_anonymously()
    {
        using var dir = new TempDirectory();
        var credentials = await Load(dir, new JsonObject { ["credHelpers"] = new JsonObject { ["gcr.io"] = "nope" } },
            new Dictionary<string, string> { ["PATH"] = dir.Path });
        var e = await Assert.ThrowsAsync<CredentialHelperException>(() => credentials.GetAsync("gcr.io", default));
        Assert.Equal("error getting credentials - err: exec: \"docker-credential-nope\": executable file not found in $PATH, out: ``", e.Message);
        Assert.Equal("e30=", await credentials.RegistryAuthAsync("gcr.io", default));
    }

    private static JsonObject Entry(string userColonPassword) => new() { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)) };

    private static async Task<RegistryCredentials> Load(TempDirectory dir, JsonObject config, Dictionary<string, string>? environment = null,
        StringWriter? err = null)
    {
        await File.WriteAllTextAsync(dir.Combine("config.json"), config.ToJsonString());
        return await RegistryCredentials.LoadAsync(dir.Path, n => environment?.GetValueOrDefault(n), err ?? new StringWriter(), default);
    }

    internal static string DecodeHeader(string header) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));

    /// <summary>
    /// <c>docker-credential-fake</c> in a temp bin directory: records what each action read on stdin, and answers get
    /// with the file <c>answer</c>, or docker's not-found message when there is none.
    /// </summary>
    private sealed class FakeHelper
    {
        private readonly string _state;

        public FakeHelper(TempDirectory dir)
        {
            _state = dir.Combine("helper");
            var bin = dir.Combine("bin");
            Directory.CreateDirectory(_state);
            Directory.CreateDirectory(bin);
            var script = Path.Combine(bin, "docker-credential-fake");
            File.WriteAllText(script, $"""
                #!/bin/sh
                state='{_state}'
                case "$1" in
                  get) cat > "$state/got"
                       if [ -f "$state/answer" ]; then cat "$state/answer"; else echo "credentials not found in native keychain"; exit 1; fi ;;
                  store) cat > "$state/stored" ;;
                  erase) cat > "$state/erased" ;;
                  *) echo "unknown action"; exit 1 ;;
                esac
                """);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Environment = new Dictionary<string, string> { ["PATH"] = bin + ":/usr/bin:/bin" };
        }

        public Dictionary<string, string> Environment { get; }

        public string Read(string name) => File.ReadAllText(Path.Combine(_state, name));

        public void Answer(string? json)
        {
            var path = Path.Combine(_state, "answer");
            if (json is null)
                File.Delete(path);
            else
                File.WriteAllText(path, json);
        }
    }
}
