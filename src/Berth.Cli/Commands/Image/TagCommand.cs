using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]</c>: the target's tag defaults to <c>latest</c>.</summary>
internal sealed class TagCommand : CliCommand
{
    public override string Name => "tag";
    public override string Usage => "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]";
    public override string Short => "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE";
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var target = ImageReference.TryParse(args[1])
            ?? throw new StatusException(1, $"Error parsing reference: \"{args[1]}\" is not a valid repository/tag: invalid reference format");
        if (target.Digest is not null)
            throw new StatusException(1, "refusing to create a tag with a digest reference");
        await context.Client.ImageTagAsync(args[0], $"{target.Domain}/{target.Path}", target.Tag ?? "latest", cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
