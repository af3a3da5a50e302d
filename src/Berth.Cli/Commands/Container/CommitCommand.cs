using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]</c>: an image of the container's changes; prints its ID.</summary>
internal sealed class CommitCommand : CliCommand
{
    private readonly List<string> _changes = [];
    private string _author = "";
    private string _message = "";
    private bool _pause = true;

    public override string Name => "commit";
    public override string Usage => "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]";
    public override string Short => "Create a new image from a container's changes";
    public override ArgsRule Args => ArgsRule.Range(1, 2);

    public override void Configure(FlagSet flags)
    {
        flags.String("author", 'a', "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")", v => _author = v);
        flags.List("change", 'c', "Apply Dockerfile instruction to the created image", _changes);
        flags.String("message", 'm', "Commit message", v => _message = v);
        flags.Bool("pause", 'p', "Pause container during commit", v => _pause = v, "true");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        string? repository = null, tag = null;
        if (args.Count == 2)
        {
            var reference = ImageReference.TryParse(args[1]) ?? throw new StatusException(1, "invalid reference format");
            if (reference.Digest is not null) throw new StatusException(1, "refusing to create a tag with a digest reference");
            repository = reference.FamiliarName;
            tag = reference.Tag;
        }
        var id = await context.Client.ContainerCommitAsync(args[0], new ContainerCommitOptions
        {
            Repository = repository,
            Tag = tag,
            Comment = _message.Length > 0 ? _message : null,
            Author = _author.Length > 0 ? _author : null,
            Pause = _pause,
            Changes = _changes,
        }, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(id).ConfigureAwait(false);
        return 0;
    }
}
