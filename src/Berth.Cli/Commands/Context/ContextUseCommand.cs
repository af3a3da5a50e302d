using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Context;

/// <summary><c>berth context use NAME</c>: records it as config.json's <c>currentContext</c> (<c>default</c> removes the key).</summary>
internal sealed class ContextUseCommand : CliCommand
{
    public override string Name => "use";
    public override string Usage => "CONTEXT";
    public override string Short => "Set the current docker context";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var name = args[0];
        if (name != ContextStore.DefaultName)
        {
            try
            {
                context.Daemon.Store.Load(name);
            }
            catch (ContextNotFoundException e)
            {
                throw new StatusException(1, e.Message);
            }
        }
        var config = context.Config;
        config.CurrentContext = name == ContextStore.DefaultName ? null : name;
        await config.SaveAsync(cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        await context.Err.WriteLineAsync($"Current context is now \"{name}\"").ConfigureAwait(false);
        if (name != ContextStore.DefaultName && context.Environment("DOCKER_HOST") is { Length: > 0 })
            await context.Err.WriteLineAsync("Warning: DOCKER_HOST environment variable overrides the active context. To use \"" + name + "\", either set the global --context flag, or unset DOCKER_HOST environment variable.").ConfigureAwait(false);
        return 0;
    }
}
