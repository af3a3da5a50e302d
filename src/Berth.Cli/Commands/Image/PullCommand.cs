using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary>
/// <c>berth pull NAME[:TAG|@DIGEST]</c>: progress on stdout, then the full reference pulled; with the stored
/// credentials of the image's registry.
/// </summary>
internal sealed class PullCommand : CliCommand
{
    private bool _quiet;
    private bool _allTags;
    private string _platform = "";

    public override string Name => "pull";
    public override string Usage => "[OPTIONS] NAME[:TAG|@DIGEST]";
    public override string Short => "Download an image from a registry";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all-tags", 'a', "Download all tagged images in the repository", v => _allTags = v);
        flags.String("platform", null, "Set platform if server is multi-platform capable", v => _platform = v);
        flags.Bool("quiet", 'q', "Suppress verbose output", v => _quiet = v);
        flags.Bool("disable-content-trust", null, "Skip image verification", _ => { }, "true"); // Berth verifies no signatures: nothing to skip
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var reference = ImageReference.TryParse(args[0])
            ?? throw new StatusException(1, $"invalid reference format: repository name ({args[0]}) must be lowercase");
        if (_allTags && (reference.Tag is not null || reference.Digest is not null))
            throw new StatusException(1, "tag can't be used with --all-tags/-a");
        if (!_allTags && reference.Tag is null && reference.Digest is null && !_quiet)
            await context.Out.WriteLineAsync("Using default tag: latest").ConfigureAwait(false);
        var messages = context.Client.ImagePullAsync(new ImagePullOptions
        {
            FromImage = reference.FamiliarName,
            Tag = _allTags ? null : reference.PullTag,
            Platform = _platform.Length > 0 ? _platform : null,
            RegistryAuth = await context.RegistryAuthAsync(reference, cancellationToken).ConfigureAwait(false),
        }, cancellationToken);
        try
        {
            await JsonMessageDisplay.WriteAsync(messages, _quiet ? TextWriter.Null : context.Out, !_quiet && context.Console.Terminal.IsStdoutTerminal, cancellationToken,
                context.ProgressWidth, context.Clock)
                .ConfigureAwait(false);
        }
        catch (JsonStreamException e)
        {
            throw new StatusException(e.Code is > 0 ? e.Code.Value : 1, e.Message);
        }
        var pulled = $"{reference.Domain}/{reference.Path}" + (_allTags ? "" : reference.Digest is { } d && reference.Tag is null ? "@" + d : ":" + (reference.Tag ?? "latest"));
        await context.Out.WriteLineAsync(pulled).ConfigureAwait(false);
        return 0;
    }
}
