using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Context;

/// <summary><c>berth context rm NAME...</c>: the one in use only with <c>-f</c> (then the default context is used again).</summary>
internal sealed class ContextRmCommand : CliCommand
{
    private bool _force;

    public override string Name => "rm";
    public override string Usage => "CONTEXT [CONTEXT...]";
    public override string Short => "Remove one or more contexts";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) =>
        flags.Bool("force", 'f', "Force the removal of a context in use", v => _force = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var current = context.Daemon.ContextName;
        foreach (var name in args)
        {
            if (name == ContextStore.DefaultName)
                errors.Add("context \"default\" cannot be removed");
            else if (await RemoveAsync(context, name, name == current, cancellationToken).ConfigureAwait(false) is { } error)
                errors.Add(error);
            else
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
        }
        return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
    }

    private async Task<string?> RemoveAsync(CliContext context, string name, bool inUse, CancellationToken cancellationToken)
    {
        if (inUse)
        {
            if (!_force)
                return $"context \"{name}\" is in use, set -f flag to force remove";
            context.Config.CurrentContext = null;
            await context.Config.SaveAsync(cancellationToken).ConfigureAwait(false);
        }
        var store = context.Daemon.Store;
        if (!store.Exists(name))
            return _force ? null : $"context \"{name}\" does not exist";
        store.Remove(name);
        return null;
    }
}
