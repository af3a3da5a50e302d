using System.Text.Json.Nodes;
using Berth.Api.Models.System;
using Berth.Cli.Cli;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Cli;

public sealed class DockerConfigFileTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0700 = Mode0600 | UnixFileMode.UserExecute;

    private const string Original = """
        {
          "psFormat": "table {{.ID}}\t{{.Names}}",
          "auths": {
            "other.example": { "auth": "b3RoZXI6c2VjcmV0", "email": "me@example.com", "x-custom": [1, 2.50, { "deep": null }] }
          },
          "credHelpers": { "gcr.io": "gcloud" },
          "proxies": { "default": { "httpProxy": "http://proxy:3128", "noProxy": "*.local,<local>" } },
          "plugins": { "buildx": { "enabled": "true" } },
          "big": 12345678901234567890,
          "detachKeys": "ctrl-e,e"
        }
        """;

    [Fact]
    public async Task Storing_a_login_keeps_every_other_key_and_entry_and_writes_mode_0600()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.json");
        await File.WriteAllTextAsync(path, Original);
        File.SetUnixFileMode(path, Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var file = await DockerConfigFile.LoadAsync(dir.Path, default);
        Assert.Null(file.LoadError);
        Assert.True(file.SetAuth(new AuthConfig { Username = "u", Password = "p:w", ServerAddress = "localhost:5000" }));
        await file.SaveAsync(default);

        var expected = JsonNode.Parse(Original)!;
        expected["auths"]!["localhost:5000"] = new JsonObject { ["auth"] = Convert.ToBase64String("u:p:w"u8.ToArray()) };
        var text = await File.ReadAllTextAsync(path);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(text)), text);
        Assert.Contains("\t\"big\": 12345678901234567890,", text);
        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
        Assert.Equal(["config.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));

        var reloaded = await DockerConfigFile.LoadAsync(dir.Path, default);
        var stored = reloaded.GetAuth("localhost:5000")!;
        Assert.Equal(("u", "p:w", "localhost:5000"), (stored.Username, stored.Password, stored.ServerAddress));
        Assert.Equal(("other", "secret", "me@example.com"), (reloaded.GetAuth("other.example")!.Username, reloaded.GetAuth("other.example")!.Password,
            reloaded.GetAuth("other.example")!.Email));
    }

    [Fact]
    public async Task A_new_file_gets_its_directories_0700_and_auths_first()
    {
        using var dir = new TempDirectory();
        var configDir = dir.Combine("a", "docker");
        var file = await DockerConfigFile.LoadAsync(configDir, default);
        file.SetAuth(new AuthConfig { Username = "u", IdentityToken = "tok", ServerAddress = "https://index.docker.io/v1/" });
        await file.SaveAsync(default);

        Assert.Equal(Mode0700, File.GetUnixFileMode(dir.Combine("a")));
        Assert.Equal(Mode0700, File.GetUnixFileMode(configDir));
        Assert.Equal(Mode0600, File.GetUnixFileMode(Path.Combine(configDir, "config.json")));
        Assert.Equal("{\n\t\"auths\": {\n\t\t\"https://index.docker.io/v1/\": {\n\t\t\t\"auth\": \"dTo=\",\n\t\t\t\"identitytoken\": \"tok\"\n\t\t}\n\t}\n}",
            await File.ReadAllTextAsync(Path.Combine(configDir, "config.json")));
    }

    [Fact]
    public async Task Unchanged_credentials_are_not_saved_and_removing_a_missing_entry_saves_nothing()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("config.json"), """{"auths":{"r.example":{"auth":"dTpw"}}}""");
        var file = await DockerConfigFile.LoadAsync(dir.Path, default);
        Assert.False(file.SetAuth(new AuthConfig { Username = "u", Password = "p", ServerAddress = "r.example" }));
        Assert.False(file.RemoveAuth("elsewhere.example"));
        Assert.True(file.RemoveAuth("r.example"));
    }

    [Fact]
    public async Task Legacy_entries_with_username_and_password_fields_are_read()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("config.json"), """{"auths":{"r.example":{"username":"old","password":"pw"},"empty.example":{}}}""");
        var file = await DockerConfigFile.LoadAsync(dir.Path, default);
        Assert.Equal(("old", "pw"), (file.GetAuth("r.example")!.Username, file.GetAuth("r.example")!.Password));
        Assert.Null(file.GetAuth("empty.example")!.Username);
        Assert.Null(file.GetAuth("missing.example"));
    }

    [Theory]
    [InlineData("{bad", "parsing config file (")]
    [InlineData("""{"auths":{"r.example":{"auth":"bm9jb2xvbg=="}}}""", "Invalid auth configuration file")]
    [InlineData("""{"auths":[]}""", "parsing config file (")]
    public async Task A_malformed_file_is_reported_read_as_empty_and_never_overwritten(string content, string error)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.json");
        await File.WriteAllTextAsync(path, content);
        var file = await DockerConfigFile.LoadAsync(dir.Path, default);
        Assert.Contains(error, file.LoadError);
        Assert.Empty(file.AuthKeys);
        file.SetAuth(new AuthConfig { Username = "u", Password = "p", ServerAddress = "r.example" });
        await Assert.ThrowsAsync<IOException>(() => file.SaveAsync(default));
        Assert.Equal(content, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_symlinked_config_is_written_through_the_link()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("real"));
        Directory.CreateDirectory(dir.Combine("docker"));
        await File.WriteAllTextAsync(dir.Combine("real", "config.json"), """{"psFormat":"x"}""");
        File.CreateSymbolicLink(dir.Combine("docker", "config.json"), dir.Combine("real", "config.json"));

        var file = await DockerConfigFile.LoadAsync(dir.Combine("docker"), default);
        file.SetAuth(new AuthConfig { Username = "u", Password = "p", ServerAddress = "r.example" });
        await file.SaveAsync(default);

        Assert.NotNull(new FileInfo(dir.Combine("docker", "config.json")).LinkTarget);
        var written = JsonNode.Parse(await File.ReadAllTextAsync(dir.Combine("real", "config.json")))!;
        Assert.Equal(("x", "dTpw"), (written["psFormat"]!.GetValue<string>(), written["auths"]!["r.example"]!["auth"]!.GetValue<string>()));
    }

    [Fact]
    public void The_directory_is_the_flag_then_DOCKER_CONFIG_then_home()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/me" };
        Assert.Equal("/home/me/.docker", DockerConfigFile.DirectoryFor(null, n => env.GetValueOrDefault(n)));
        env["DOCKER_CONFIG"] = "/etc/dc";
        Assert.Equal("/etc/dc", DockerConfigFile.DirectoryFor(null, n => env.GetValueOrDefault(n)));
        Assert.Equal("/flag", DockerConfigFile.DirectoryFor("/flag", n => env.GetValueOrDefault(n)));
    }

    [Fact]
    public async Task Credential_helpers_are_per_registry_then_the_default_store()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("config.json"), """{"credsStore":"pass","credHelpers":{"gcr.io":"gcloud"}}""");
        var file = await DockerConfigFile.LoadAsync(dir.Path, default);
        Assert.Equal(("gcloud", "pass"), (file.HelperFor("gcr.io"), file.HelperFor("localhost:5000")));
        await File.WriteAllTextAsync(dir.Combine("config.json"), "{}");
        Assert.Null((await DockerConfigFile.LoadAsync(dir.Path, default)).HelperFor("gcr.io"));
    }
}
