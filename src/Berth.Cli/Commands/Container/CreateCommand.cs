using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth create</c>: the container is created (pulling its image when missing) and its ID printed.</summary>
internal sealed class CreateCommand : CliCommand
{
    private readonly ContainerOptions _container = new();
    private readonly CreateOptions _create = new("Pull image before creating (\"always\", \"|missing\", \"never\")");

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

    /// <summary>As docker's: bad options exit 125 with the help hint; a daemon's refusal (a name in use) is its message alone, exit 1.</summary>
    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ContainerCreateRequest request;
        ContainerCreator.Options options;
        try
        {
            request = _container.ToRequest(args, context.Environment);
            options = _create.ToCreatorOptions(_container);
        }
        catch (Exception e) when (e is InvalidOptionsException or FormatException)
        {
            ContainerCreator.ReportError(context, Name, e.Message);
            return 125;
        }
        var id = await ContainerCreator.CreateAsync(context, request, options, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(id).ConfigureAwait(false);
        return 0;
    }
}
