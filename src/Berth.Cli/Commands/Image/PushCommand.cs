using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary>
/// <c>berth push NAME[:TAG]</c>: progress on stdout (or, with <c>-q</c>, only the reference pushed), with the stored
/// credentials of the image's registry. Without a tag, <c>latest</c>; with <c>-a</c>, every tag of the repository.
/// </summary>
internal sealed class PushCommand : CliCommand
{
    private bool _quiet;
    private bool _allTags;

    public override string Name => "push";
    public override string Usage => "[OPTIONS] NAME[:TAG]";
    public override string Short => "Upload an image to a registry";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all-tags", 'a', "Push all tags of an image to the repository", v => _allTags = v);
        flags.Bool("quiet", 'q', "Suppress verbose output", v => _quiet = v);
        flags.Bool("disable-content-trust", null, "Skip image signing", _ => { }, "true"); // Berth signs nothing: nothing to skip
        flags.String("platform", null, """
            Push a platform-specific manifest as a single-platform image to the registry.
            Image index won't be pushed, meaning that other manifests, including attestations won't be preserved.
            'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)
            """, _ => { }).UnsupportedBecause(DaemonSupport.RequiresApi("1.46"));
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var reference = ImageReference.TryParse(args[0])
            ?? throw new StatusException(1, $"invalid reference format: repository name ({args[0]}) must be lowercase");
        var nameOnly = reference.Tag is null && reference.Digest is null;
        if (_allTags && !nameOnly)
            throw new StatusException(1, "tag can't be used with --all-tags/-a");
        if (!_allTags && nameOnly && !_quiet)
            await context.Out.WriteLineAsync("Using default tag: latest").ConfigureAwait(false);
        if (reference.Digest is not null)
            throw new StatusException(1, "cannot push a digest reference");

        var name = $"{reference.Domain}/{reference.Path}";
        var tag = _allTags ? null : reference.Tag ?? "latest";
        var messages = context.Client.ImagePushAsync(new ImagePushOptions
        {
            Name = name,
            Tag = tag,
            RegistryAuth = await context.RegistryAuthAsync(reference, cancellationToken).ConfigureAwait(false),
        }, cancellationToken);
        try
        {
            await JsonMessageDisplay.WriteAsync(messages, _quiet ? TextWriter.Null : context.Out, !_quiet && context.Console.Terminal.IsStdoutTerminal,
                cancellationToken, context.ProgressWidth, context.Clock).ConfigureAwait(false);
        }
        catch (JsonStreamException e)
        {
            throw new StatusException(e.Code is > 0 ? e.Code.Value : 1, e.Message);
        }
        if (_quiet)
            await context.Out.WriteLineAsync(tag is null ? name : $"{name}:{tag}").ConfigureAwait(false);
        return 0;
    }
}
