using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth rename CONTAINER NEW_NAME</c>.</summary>
internal sealed class RenameCommand : CliCommand
{
    public override string Name => "rename";
    public override string Usage => "CONTAINER NEW_NAME";
    public override string Short => "Rename a container";
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var oldName = args[0].Trim();
        var newName = args[1].Trim();
        if (oldName.Length == 0 || newName.Length == 0)
            throw new StatusException(1, "Error: Neither old nor new names may be empty");
        try
        {
            await context.Client.ContainerRenameAsync(oldName, newName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StatusException(1, $"{Errors.Describe(e)}\nError: failed to rename container named {oldName}");
        }
        return 0;
    }
}
