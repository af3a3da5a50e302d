using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth create</c>: the container is created (pulling its image when missing) and its ID printed.</summary>
internal sealed class CreateCommand : CliCommand
{
    private readonly ContainerOptions _container = new();
    private readonly CreateOptions _create = new();

    public override string Name => "create";
    public override string Usage => "[OPTIONS] IMAGE [COMMAND] [ARG...]";
    public override string Short => "Create a new container";
    public override ArgsRule Args => ArgsRule.AtLeast(1);
    public override bool Interspersed => false;

    public override void Configure(FlagSet flags)
    {
        _container.Configure(flags);
        _create.Configure(flags);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        try
        {
            var request = _container.ToRequest(args, context.Environment);
            var id = await ContainerCreator.CreateAsync(context, request, _create.ToCreatorOptions(_container), cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ContainerCreator.ReportError(context, Errors.Describe(e), withHelp: true);
            return 125;
        }
    }
}
