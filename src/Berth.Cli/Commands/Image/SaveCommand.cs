using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth save IMAGE... [-o FILE]</c>: a docker-format archive to a file (written whole, then renamed) or to a redirected stdout.</summary>
internal sealed class SaveCommand : CliCommand
{
    private string _output = "";

    public override string Name => "save";
    public override string Usage => "[OPTIONS] IMAGE [IMAGE...]";
    public override string Short => "Save one or more images to a tar archive (streamed to STDOUT by default)";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("output", 'o', "Write to a file, instead of STDOUT", v => _output = v);
        flags.String("platform", null, "Save only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")", _ => { })
            .UnsupportedBecause(DaemonSupport.RequiresApi("1.48"));
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_output.Length == 0 && context.Console.Terminal.IsStdoutTerminal)
            throw new StatusException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        if (_output.Length > 0)
            OutputFile.Validate(_output, "failed to save image");
        await using var archive = await context.Client.ImageSaveAsync(args, cancellationToken).ConfigureAwait(false);
        if (_output.Length == 0)
        {
            await archive.CopyToAsync(context.Console.StdoutStream, cancellationToken).ConfigureAwait(false);
            await context.Console.StdoutStream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        try
        {
            await OutputFile.WriteAsync(archive, _output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StatusException(1, $"failed to save image: {e.Message}");
        }
        return 0;
    }
}
