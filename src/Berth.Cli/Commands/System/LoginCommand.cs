using System.Net;
using System.Text;
using Berth.Api.Client;
using Berth.Api.Models.System;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth login [OPTIONS] [SERVER]</c>, docker's flow: with neither username nor password given, stored credentials
/// are tried first; otherwise, or when they fail, the flags, stdin or a prompt (on a terminal only) supply them.
/// <c>POST /auth</c> checks them and they are stored, the identity token in place of the password when the daemon
/// returned one. Docker Hub's web-based device login is not offered: Hub gets the username and password prompt too.
/// </summary>
internal sealed class LoginCommand : CliCommand
{
    private string _username = "";
    private string _password = "";
    private bool _passwordStdin;
    private Flag? _usernameFlag;
    private Flag? _passwordFlag;
    private Flag? _passwordStdinFlag;

    public override string Name => "login";
    public override string Usage => "[OPTIONS] [SERVER]";
    public override string Short => "Authenticate to a registry";
    public override string Long => "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.";
    public override ArgsRule Args => ArgsRule.AtMost(1);

    public override void Configure(FlagSet flags)
    {
        _passwordFlag = flags.String("password", 'p', "Password or Personal Access Token (PAT)", v => _password = v);
        _passwordStdinFlag = flags.Bool("password-stdin", null, "Take the Password or Personal Access Token (PAT) from stdin", v => _passwordStdin = v);
        _usernameFlag = flags.String("username", 'u', "Username", v => _username = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        VerifyFlags();
        if (_password.Length > 0)
            await context.Err.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.").ConfigureAwait(false);
        if (_passwordStdin)
            _password = await ReadPasswordAsync(context.Console.StdinStream, cancellationToken).ConfigureAwait(false);

        var server = args is [var given] && given is not ("" or "docker.io") ? given : RegistryCredentials.HubKey;
        var key = server == RegistryCredentials.HubKey ? server : RegistryCredentials.ConvertToHostname(server);
        var credentials = await context.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var stored = new AuthConfig();
        if (_username.Length == 0 && _password.Length == 0)
        {
            try
            {
                stored = await credentials.GetAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (CredentialHelperException)
            {
                // As docker: unreadable stored credentials mean logging in afresh.
            }
        }
        stored.ServerAddress = key;
        stored.IdentityToken = null;
        string? status = null;
        if (!string.IsNullOrEmpty(stored.Username) && !string.IsNullOrEmpty(stored.Password))
            status = await LoginWithStoredAsync(context, credentials, stored, cancellationToken).ConfigureAwait(false);
        status ??= await LoginWithNewAsync(context, credentials, stored.Username ?? "", key, cancellationToken).ConfigureAwait(false);
        if (status.Length > 0)
            await context.Out.WriteLineAsync(status).ConfigureAwait(false);
        return 0;
    }

    private void VerifyFlags()
    {
        if (_passwordStdinFlag!.Changed)
        {
            if (_passwordFlag!.Changed)
                throw new StatusException(1, "conflicting options: cannot specify both --password and --password-stdin");
            if (!_usernameFlag!.Changed)
                throw new StatusException(1, "the --password-stdin option requires --username to be set");
        }
        if (_usernameFlag!.Changed && _username.Length == 0)
            throw new StatusException(1, "username is empty");
        if (_passwordFlag!.Changed && _password.Length == 0)
            throw new StatusException(1, "password is empty");
    }

    /// <summary>All of stdin, less one line end (<c>\n</c>, then <c>\r</c>): a password may hold any other character.</summary>
    private static async Task<string> ReadPasswordAsync(Stream stdin, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stdin, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        text = text.EndsWith('\n') ? text[..^1] : text;
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    /// <summary>Null when the stored credentials were refused (the caller then asks for new ones), else the daemon's status.</summary>
    private static async Task<string?> LoginWithStoredAsync(CliContext context, RegistryCredentials credentials, AuthConfig stored,
        CancellationToken cancellationToken)
    {
        await context.Err.WriteAsync($"Authenticating with existing credentials... [Username: {stored.Username}]\n").ConfigureAwait(false);
        await WriteNoteAsync(context, "To login with a different account, run 'berth logout' followed by 'berth login'").ConfigureAwait(false);
        await context.Err.WriteAsync("\n\n").ConfigureAwait(false);
        AuthResponse response;
        try
        {
            response = await context.Client.SystemAuthAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiException or DaemonUnreachableException)
        {
            await context.Err.WriteLineAsync(e is ApiException { StatusCode: HttpStatusCode.Unauthorized }
                ? "Stored credentials invalid or expired"
                : "Login did not succeed, error: " + Errors.Describe(e)).ConfigureAwait(false);
            return null;
        }
        await StoreAsync(credentials, stored, response, cancellationToken).ConfigureAwait(false);
        return response.Status;
    }

    private async Task<string> LoginWithNewAsync(CliContext context, RegistryCredentials credentials, string defaultUsername, string key,
        CancellationToken cancellationToken)
    {
        if ((_username.Length == 0 || _password.Length == 0) && !context.Console.Terminal.IsStdinTerminal)
            throw new StatusException(1, "Error: Cannot perform an interactive login from a non TTY device");
        var username = _username.Trim();
        if (username.Length == 0)
        {
            defaultUsername = defaultUsername.Trim();
            await context.Out.WriteAsync(defaultUsername.Length == 0 ? "Username: " : $"Username ({defaultUsername}): ").ConfigureAwait(false);
            username = (await Prompt.ReadLineAsync(context.Console.StdinStream, cancellationToken).ConfigureAwait(false)).Trim();
            if (username.Length == 0)
                username = defaultUsername;
            if (username.Length == 0)
                throw new StatusException(1, "Error: Non-null Username Required");
        }
        var password = _password.Trim();
        if (password.Length == 0)
        {
            using (context.Console.Terminal.DisableEcho())
            {
                await context.Out.WriteAsync("Password: ").ConfigureAwait(false);
                password = (await Prompt.ReadLineAsync(context.Console.StdinStream, cancellationToken).ConfigureAwait(false)).Trim();
                await context.Out.WriteLineAsync().ConfigureAwait(false);
            }
            if (password.Length == 0)
                throw new StatusException(1, "Error: Password Required");
        }
        var config = new AuthConfig { Username = username, Password = password, ServerAddress = key };
        var response = await context.Client.SystemAuthAsync(config, cancellationToken).ConfigureAwait(false);
        await StoreAsync(credentials, config, response, cancellationToken).ConfigureAwait(false);
        return response.Status;
    }

    private static async Task StoreAsync(RegistryCredentials credentials, AuthConfig config, AuthResponse response, CancellationToken cancellationToken)
    {
        if (response.IdentityToken.Length > 0)
        {
            config.Password = null;
            config.IdentityToken = response.IdentityToken;
        }
        try
        {
            await credentials.StoreAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CredentialHelperException or IOException or UnauthorizedAccessException)
        {
            throw new StatusException(1, "Error saving credentials: " + e.Message);
        }
    }

    /// <summary>docker's note on stderr: a blank line, then <c>Info -&gt;</c> (a cyan <c>i</c> on a terminal) and the text in italics.</summary>
    private static Task WriteNoteAsync(CliContext context, string text) =>
        context.Console.Terminal.IsStderrTerminal
            ? context.Err.WriteAsync($"\n\x1b[1m\x1b[106m\x1b[30mi\x1b[0m\x1b[0m \x1b[96mInfo → \x1b[0m\x1b[0m\x1b[3m{text}\x1b[0m\n")
            : context.Err.WriteAsync($"\n Info -> {text}\n");
}
