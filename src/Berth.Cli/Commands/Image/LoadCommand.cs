using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth load [-i FILE]</c>: a <c>docker save</c>/OCI archive from a file or stdin.</summary>
internal sealed class LoadCommand : CliCommand
{
    private string _input = "";
    private bool _quiet;

    public override string Name => "load";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Load an image from a tar archive or STDIN";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.String("input", 'i', "Read from tar archive file, instead of STDIN", v => _input = v);
        flags.Bool("quiet", 'q', "Suppress the load output", v => _quiet = v);
        flags.String("platform", null, "Load only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")", _ => { })
            .UnsupportedBecause(DaemonSupport.RequiresApi("1.48"));
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_input.Length == 0 && context.Console.Terminal.IsStdinTerminal)
            throw new StatusException(1, "requested load from stdin, but stdin is empty");
        Stream body;
        try
        {
            body = _input.Length > 0 ? File.OpenRead(_input) : context.Console.StdinStream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StatusException(1, $"open {_input}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
        }
        await using (body.ConfigureAwait(false))
        {
            var quiet = _quiet || !context.Console.Terminal.IsStdoutTerminal;
            try
            {
                await JsonMessageDisplay.WriteAsync(context.Client.ImageLoadAsync(body, quiet, cancellationToken), context.Out,
                    context.Console.Terminal.IsStdoutTerminal, cancellationToken, context.ProgressWidth, context.Clock).ConfigureAwait(false);
            }
            catch (JsonStreamException e)
            {
                throw new StatusException(e.Code is > 0 ? e.Code.Value : 1, e.Message);
            }
        }
        return 0;
    }
}
