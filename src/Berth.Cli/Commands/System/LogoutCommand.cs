using Berth.Cli.Cli;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth logout [SERVER]</c>, as docker 28: erases the credentials of SERVER (Docker Hub by default) under every
/// key an older CLI may have used for it (as given, hostname, http:// and https:// hostname). Not being logged in
/// is no error; only when every erase failed is there a warning, and the exit status is still 0.
/// </summary>
internal sealed class LogoutCommand : CliCommand
{
    public override string Name => "logout";
    public override string Usage => "[SERVER]";
    public override string Short => "Log out from a registry";
    public override string Long => "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.";
    public override ArgsRule Args => ArgsRule.AtMost(1);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var server = args is [{ Length: > 0 } given] ? given : null;
        var hostname = server is null ? RegistryCredentials.HubKey : RegistryCredentials.ConvertToHostname(server);
        string[] keys = server is null ? [hostname] : [server, hostname, "http://" + hostname, "https://" + hostname];

        var credentials = await context.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync("Removing login credentials for " + hostname).ConfigureAwait(false);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            try
            {
                await credentials.EraseAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CredentialHelperException or IOException or UnauthorizedAccessException)
            {
                failures[key] = e.Message;
            }
        }
        // Compared with the list, duplicates included, as docker does: a failure then warns only when the keys all differ.
        if (failures.Count == keys.Length)
        {
            await context.Err.WriteLineAsync("WARNING: could not erase credentials:").ConfigureAwait(false);
            foreach (var (key, message) in failures)
                await context.Err.WriteLineAsync($"{key}: {message}").ConfigureAwait(false);
        }
        return 0;
    }
}
