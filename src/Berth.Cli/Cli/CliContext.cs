using Berth.Api.Client;

namespace Berth.Cli.Cli;

/// <summary>What a command runs against: the client (created on first use), the console, the environment and the clock.</summary>
internal sealed class CliContext(CliConsole console, Func<IBerthClient> clientFactory, Func<string, string?> environment, TimeProvider clock)
{
    private IBerthClient? _client;

    public IBerthClient Client => _client ??= clientFactory();
    public CliConsole Console { get; } = console;
    public Func<string, string?> Environment { get; } = environment;
    public TimeProvider Clock { get; } = clock;

    /// <summary>The command as invoked, for messages: <c>berth run</c>, <c>berth container ls</c>.</summary>
    public string CommandPath { get; set; } = "berth";

    public TextWriter Out => Console.Out;
    public TextWriter Err => Console.Err;
}
