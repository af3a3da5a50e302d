using Berth.Api.Client;
using Berth.Cli.Formatting;

namespace Berth.Cli.Cli;

/// <summary>
/// What a command runs against: the client (created on first use), the console, the environment, the clock, and the
/// docker config directory with its registry credentials (loaded on first use).
/// </summary>
internal sealed class CliContext(CliConsole console, Func<IBerthClient> clientFactory, Func<string, string?> environment, TimeProvider clock)
{
    private IBerthClient? _client;
    private RegistryCredentials? _credentials;

    public IBerthClient Client => _client ??= clientFactory();
    public CliConsole Console { get; } = console;
    public Func<string, string?> Environment { get; } = environment;
    public TimeProvider Clock { get; } = clock;

    /// <summary>The command as invoked, for messages: <c>berth run</c>, <c>berth container ls</c>.</summary>
    public string CommandPath { get; set; } = "berth";

    /// <summary>Where config.json lives: <c>--config</c>, <c>$DOCKER_CONFIG</c> or <c>~/.docker</c>.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>config.json as read when the command started (an empty one when missing or unreadable).</summary>
    public required DockerConfigFile Config { get; init; }

    /// <summary>Which daemon (context, host, TLS) the client connects to.</summary>
    public required DaemonSelection Daemon { get; init; }

    public async Task<RegistryCredentials> GetCredentialsAsync(CancellationToken cancellationToken) =>
        _credentials ??= await RegistryCredentials.LoadAsync(ConfigDirectory, Environment, Err, cancellationToken).ConfigureAwait(false);

    /// <summary><c>X-Registry-Auth</c> for pulling or pushing <paramref name="reference"/>: its registry's stored credentials.</summary>
    public async Task<string> RegistryAuthAsync(ImageReference reference, CancellationToken cancellationToken) =>
        await (await GetCredentialsAsync(cancellationToken).ConfigureAwait(false)).RegistryAuthAsync(reference.Domain, cancellationToken).ConfigureAwait(false);

    /// <summary>The width progress bars are drawn for: the terminal's when it is one, else docker's 200.</summary>
    public int ProgressWidth => Console.Terminal.IsStdoutTerminal || Console.Terminal.IsStderrTerminal
        ? Console.Terminal.GetSize()?.Width ?? ProgressBar.UnknownWidth
        : ProgressBar.UnknownWidth;

    public TextWriter Out => Console.Out;
    public TextWriter Err => Console.Err;
}
