using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth export CONTAINER [-o FILE]</c>: the container's root filesystem as a tar, to a file or a redirected stdout.</summary>
internal sealed class ExportCommand : CliCommand
{
    private string _output = "";

    public override string Name => "export";
    public override string Usage => "[OPTIONS] CONTAINER";
    public override string Short => "Export a container's filesystem as a tar archive";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags) =>
        flags.String("output", 'o', "Write to a file, instead of STDOUT", v => _output = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_output.Length == 0 && context.Console.Terminal.IsStdoutTerminal)
            throw new StatusException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        if (_output.Length > 0)
            OutputFile.Validate(_output, "failed to export container");
        await using var archive = await context.Client.ContainerExportAsync(args[0], cancellationToken).ConfigureAwait(false);
        if (_output.Length > 0)
        {
            await OutputFile.WriteAsync(archive, _output, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        await archive.CopyToAsync(context.Console.StdoutStream, cancellationToken).ConfigureAwait(false);
        await context.Console.StdoutStream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
