using System.Text.RegularExpressions;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Context;

/// <summary>
/// <c>berth context create NAME --docker host=…,ca=…,cert=…,key=…,skip-tls-verify=…</c>: stored in docker's layout,
/// TLS files copied in. Without <c>--docker</c> the endpoint is copied from <c>--from</c> or the context in use.
/// </summary>
internal sealed partial class ContextCreateCommand : CliCommand
{
    private static readonly string[] DockerKeys = ["from", "host", "ca", "cert", "key", "skip-tls-verify"];
    private readonly List<string> _docker = [];
    private string _description = "";
    private string _from = "";

    public override string Name => "create";
    public override string Usage => "[OPTIONS] CONTEXT";
    public override string Short => "Create a context";
    public override string Long => """
        Create a context

        Docker endpoint config:

        NAME                DESCRIPTION
        from                Copy named context's Docker endpoint configuration
        host                Docker endpoint on which to connect
        ca                  Trust certs signed only by this CA
        cert                Path to TLS certificate file
        key                 Path to TLS key file
        skip-tls-verify     Skip TLS certificate validation

        Example:

        $ berth context create my-context --description "some description" --docker "host=tcp://myserver:2376,ca=~/ca-file,cert=~/cert-file,key=~/key-file"
        """;
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("description", null, "Description of the context", v => _description = v);
        flags.List("docker", null, "set the docker endpoint", _docker, defaultText: "[]").ValueTypeIs("stringToString");
        flags.String("from", null, "create context from a named context", v => _from = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var name = args[0];
        var store = context.Daemon.Store;
        CheckName(name);
        if (store.Exists(name))
            throw new StatusException(1, $"context \"{name}\" already exists");
        var config = ParseDocker();
        if (config.Count > 0 && _from.Length > 0)
            throw new StatusException(1, "cannot use --docker flag when --from is set");
        var (created, tls) = config.Count > 0 ? FromConfig(name, config, store) : Copy(name, _from.Length > 0 ? _from : context.Daemon.ContextName, context.Daemon);
        store.Create(created, tls);
        await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        await context.Err.WriteLineAsync($"Successfully created context \"{name}\"").ConfigureAwait(false);
        return 0;
    }

    private (DockerContext, IReadOnlyDictionary<string, string>) FromConfig(string name, Dictionary<string, string> config, ContextStore store)
    {
        if (config.Keys.FirstOrDefault(k => !DockerKeys.Contains(k)) is { } unknown)
            throw new StatusException(1, $"unable to create docker endpoint config: unrecognized config key: {unknown}");
        var skip = config.TryGetValue("skip-tls-verify", out var text) && (FlagSet.ParseBool(text)
            ?? throw new StatusException(1, $"unable to create docker endpoint config: skip-tls-verify: parsing \"{text}\": invalid syntax"));
        if (config.TryGetValue("from", out var from))
        {
            var source = store.Load(from);
            return (new DockerContext(name, _description, source.Host, source.SkipTlsVerify), source.TlsFiles);
        }
        var tls = new Dictionary<string, string>();
        foreach (var (key, file) in new[] { ("ca", "ca.pem"), ("cert", "cert.pem"), ("key", "key.pem") })
        {
            if (config.TryGetValue(key, out var path) && path.Length > 0)
                tls[file] = File.Exists(path) ? path : throw new StatusException(1, $"unable to create docker endpoint config: open {path}: no such file or directory");
        }
        if (tls.ContainsKey("cert.pem") != tls.ContainsKey("key.pem"))
            throw new StatusException(1, "unable to create docker endpoint config: cert and key must be provided together");
        return (new DockerContext(name, _description, config.GetValueOrDefault("host", ""), skip), tls);
    }

    private (DockerContext, IReadOnlyDictionary<string, string>) Copy(string name, string from, DaemonSelection daemon)
    {
        if (from == ContextStore.DefaultName)
            return (new DockerContext(name, _description, daemon.DefaultHost, false), new Dictionary<string, string>());
        DockerContext source;
        try
        {
            source = daemon.Store.Load(from);
        }
        catch (ContextNotFoundException e)
        {
            throw new StatusException(1, e.Message);
        }
        return (new DockerContext(name, _description.Length > 0 ? _description : source.Description, source.Host, source.SkipTlsVerify), source.TlsFiles);
    }

    /// <summary>pflag's stringToString: <c>k=v,k=v</c>, repeatable.</summary>
    private Dictionary<string, string> ParseDocker()
    {
        var config = new Dictionary<string, string>();
        foreach (var pair in _docker.SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            var eq = pair.IndexOf('=');
            if (eq < 0)
                throw new FlagException($"invalid argument \"{pair}\" for \"--docker\" flag: {pair} must be formatted as key=value");
            config[pair[..eq]] = pair[(eq + 1)..];
        }
        return config;
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0)
            throw new StatusException(1, "context name cannot be empty");
        if (name == ContextStore.DefaultName)
            throw new StatusException(1, "\"default\" is a reserved context name");
        if (!ValidName().IsMatch(name))
            throw new StatusException(1, $"context name \"{name}\" is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\"");
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$")]
    private static partial Regex ValidName();
}
