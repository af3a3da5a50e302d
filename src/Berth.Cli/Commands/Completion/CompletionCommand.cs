using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Completion;

internal enum Shell
{
    Bash,
    Fish,
    Zsh,
}

/// <summary>
/// <c>berth completion bash|fish|zsh</c>: prints the shell's completion script on stdout, as docker's (cobra's)
/// <c>completion</c> does. The script asks <c>berth __complete</c> for the candidates on every TAB, so what it offers
/// always matches this binary's commands and the daemon's containers, images and networks.
/// </summary>
internal sealed class CompletionCommand(Shell shell) : CliCommand
{
    private bool _noDescriptions;

    public override string Name => ShellName;
    public override string Usage => shell == Shell.Bash ? "" : "[flags]";
    public override string Short => $"Generate the autocompletion script for {ShellName}";
    public override ArgsRule Args => ArgsRule.None;

    public override string Long => shell switch
    {
        Shell.Bash => """
            Generate the autocompletion script for the bash shell.

            The script uses the 'bash-completion' package's word splitting when it is loaded
            (quotes, '=' and ':' inside words); without it, words are split at blanks.

            To load completions in your current shell session:

            	source <(berth completion bash)

            To load completions for every new session, execute once:

            	berth completion bash > /etc/bash_completion.d/berth

            You will need to start a new shell for this setup to take effect.
            """,
        Shell.Zsh => """
            Generate the autocompletion script for the zsh shell.

            If shell completion is not already enabled in your environment you will need
            to enable it.  You can execute the following once:

            	echo "autoload -U compinit; compinit" >> ~/.zshrc

            To load completions in your current shell session:

            	source <(berth completion zsh)

            To load completions for every new session, execute once:

            	berth completion zsh > "${fpath[1]}/_berth"

            You will need to start a new shell for this setup to take effect.
            """,
        _ => """
            Generate the autocompletion script for the fish shell.

            To load completions in your current shell session:

            	berth completion fish | source

            To load completions for every new session, execute once:

            	berth completion fish > ~/.config/fish/completions/berth.fish

            You will need to start a new shell for this setup to take effect.
            """,
    };

    private string ShellName => shell.ToString().ToLowerInvariant();

    public override void Configure(FlagSet flags) =>
        flags.Bool("no-descriptions", null, "disable completion descriptions", v => _noDescriptions = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await context.Out.WriteAsync(CompletionScripts.For(shell, !_noDescriptions)).ConfigureAwait(false);
        return 0;
    }
}
