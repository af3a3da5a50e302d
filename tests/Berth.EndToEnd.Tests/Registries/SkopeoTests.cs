using System.Text.Json;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Registries;

/// <summary>
/// A client we did not write against our registry: Debian's <c>skopeo</c> copies images into and out of
/// <c>berth-registry serve</c>, with and without auth, and berthd pulls what skopeo pushed (and the other way round).
/// </summary>
public sealed class SkopeoTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly string _work = Directory.CreateTempSubdirectory("skopeo-").FullName;

    public SkopeoTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static CommandResult Skopeo(params string[] args) => Commands.Run("skopeo", ["--insecure-policy", .. args], timeoutSeconds: 120);

    private CommandResult Docker(string? stdin, params string[] args) => _daemon.DockerWithConfig(Path.Combine(_work, "docker"), stdin, args);

    [PrivilegedTheory]
    [InlineData(RegistryAuthMode.None)]
    [InlineData(RegistryAuthMode.Basic)]
    public void Skopeo_copies_in_and_out_and_berthd_reads_what_it_wrote(RegistryAuthMode auth)
    {
        using var registry = RegistryProcess.Berth(auth: auth);
        string[] creds(string side) => auth == RegistryAuthMode.None ? [] : [$"--{side}-creds", $"{RegistryProcess.User}:{RegistryProcess.Password}"];
        if (auth != RegistryAuthMode.None)
            Docker(RegistryProcess.Password + "\n", "login", "-u", RegistryProcess.User, "--password-stdin", registry.Address).Ok("login");

        // into the registry: an archive berthd saved, copied by skopeo; then pulled and run by berthd
        var archive = Path.Combine(_work, $"busybox-{auth}.tar");
        Docker(null, "save", "-o", archive, "busybox").Ok("save");
        var fromSkopeo = $"{registry.Address}/skopeo/box:{auth.ToString().ToLowerInvariant()}";
        Skopeo(["copy", "--dest-tls-verify=false", .. creds("dest"), $"docker-archive:{archive}", $"docker://{fromSkopeo}"]).Ok("skopeo copy in");
        if (auth != RegistryAuthMode.None)
            Assert.NotEqual(0, Skopeo("copy", "--dest-tls-verify=false", $"docker-archive:{archive}", $"docker://{fromSkopeo}-anonymous").ExitCode);
        Assert.Equal("skopeo's", Docker(null, "run", "--rm", fromSkopeo, "echo", "skopeo's").Ok("run what skopeo pushed").Output);
        Docker(null, "rmi", fromSkopeo).Ok("rmi");

        // out of the registry: what berthd pushed, copied by skopeo to an OCI layout, with the digest berthd printed
        var fromBerth = $"{registry.Address}/berth/box:{auth.ToString().ToLowerInvariant()}";
        Docker(null, "tag", "busybox", fromBerth).Ok("tag");
        var digest = System.Text.RegularExpressions.Regex.Match(Docker(null, "push", fromBerth).Ok("push").Output, "digest: (sha256:[0-9a-f]{64})").Groups[1].Value;
        var layout = Path.Combine(_work, $"oci-{auth}");
        Skopeo(["copy", "--src-tls-verify=false", .. creds("src"), $"docker://{fromBerth}", $"oci:{layout}:copied"]).Ok("skopeo copy out");
        using var inspect = JsonDocument.Parse(Skopeo(["inspect", "--tls-verify=false", .. creds("src").Select(a => a.Replace("--src-", "--")), $"docker://{fromBerth}"]).Ok("skopeo inspect").Stdout);
        Assert.Equal(digest, inspect.RootElement.GetProperty("Digest").GetString());
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json")));
        Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray());
        Docker(null, "rmi", fromBerth).Ok("rmi");
    }
}
