using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth import file|URL|- [REPOSITORY[:TAG]]</c>: a root filesystem tarball becomes a one-layer image; prints its ID.</summary>
internal sealed class ImportCommand : CliCommand
{
    private readonly List<string> _changes = [];
    private string _message = "";
    private string _platform = "";

    public override string Name => "import";
    public override string Usage => "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]";
    public override string Short => "Import the contents from a tarball to create a filesystem image";
    public override ArgsRule Args => ArgsRule.Range(1, 2);

    public override void Configure(FlagSet flags)
    {
        flags.List("change", 'c', "Apply Dockerfile instruction to the created image", _changes);
        flags.String("message", 'm', "Set commit message for imported image", v => _message = v);
        flags.String("platform", null, "Set platform if server is multi-platform capable", v => _platform = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        string? repository = null;
        string? tag = null;
        if (args.Count == 2)
        {
            var reference = ImageReference.TryParse(args[1])
                ?? throw new StatusException(1, $"invalid reference format: repository name ({args[1]}) must be lowercase");
            repository = reference.FamiliarName;
            tag = reference.Tag;
        }
        var source = args[0];
        var isUrl = source.Contains("://", StringComparison.Ordinal);
        await using var body = source == "-" ? context.Console.StdinStream : isUrl ? new MemoryStream() : OpenFile(source);
        var messages = context.Client.ImageImportAsync(body, new ImageImportOptions
        {
            Source = isUrl ? source : "-",
            Repository = repository,
            Tag = tag,
            Message = _message.Length > 0 ? _message : null,
            Changes = _changes,
            Platform = _platform.Length > 0 ? _platform : null,
        }, cancellationToken);
        try
        {
            await JsonMessageDisplay.WriteAsync(messages, context.Out, context.Console.Terminal.IsStdoutTerminal, cancellationToken,
                context.ProgressWidth, context.Clock).ConfigureAwait(false);
        }
        catch (JsonStreamException e)
        {
            throw new StatusException(e.Code is > 0 ? e.Code.Value : 1, e.Message);
        }
        return 0;
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StatusException(1, $"open {path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
        }
    }
}
