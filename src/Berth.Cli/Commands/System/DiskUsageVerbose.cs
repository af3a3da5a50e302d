using Berth.Api.Models.Images;
using Berth.Api.Models.System;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>system df -v</c> as docker prints it: four titled tables (images, containers, local volumes, build cache),
/// each with its header even when empty; any other <c>--format</c> is one template run over all four lists
/// (<c>{{range .Images}}…{{end}}</c>, <c>json</c>), IDs untruncated.
/// </summary>
internal static class DiskUsageVerbose
{
    public static void Write(TextWriter output, string format, SystemDfResponse usage, TimeProvider clock)
    {
        var table = format.Length == 0 || format == "table";
        var lists = new Lists(
            usage.Images.Select(i => ImageRow(i, table, clock)).OfType<object?>().ToList(),
            usage.Containers.Select(c => (object?)ContainerRow(c, table, clock)).ToList(),
            usage.Volumes.Select(v => (object?)new VolumeUsageContext(v)).ToList(),
            BuildCacheContext.Sorted(usage.BuildCache).Select(b => (object?)new BuildCacheContext(b, table, clock)).ToList());
        if (!table)
        {
            // docker runs the template once over the lists and adds no newline of its own.
            GoTemplate template;
            try
            {
                template = GoTemplate.Parse(FormatDirective.Parse(format).Template);
            }
            catch (TemplateException e)
            {
                throw new TemplateException("template parsing error: " + e.Message);
            }
            output.Write(template.Render(lists));
            return;
        }
        output.Write("Images space usage:\n\n");
        FormattedOutput.Write(output, ImageTable, lists.Images, ImageContext.Headers);
        output.Write("\nContainers space usage:\n\n");
        FormattedOutput.Write(output, ContainerTable, lists.Containers, ContainerContext.Headers);
        output.Write("\nLocal Volumes space usage:\n\n");
        FormattedOutput.Write(output, VolumeUsageContext.DefaultTable, lists.Volumes, VolumeUsageContext.Headers);
        var buildCacheSize = usage.BuildCache.Where(b => !b.Shared).Sum(b => b.Size);
        output.Write($"\nBuild cache usage: {Berth.Api.Models.HumanUnits.Size(buildCacheSize)}\n\n");
        FormattedOutput.Write(output, BuildCacheContext.DefaultTable, lists.BuildCache, BuildCacheContext.Headers);
    }

    private const string ImageTable =
        "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";

    private const string ContainerTable =
        "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";

    /// <summary>One row per image, named by its first tag; dangling or untagged images are <c>&lt;none&gt;</c>, unparsable ones left out.</summary>
    private static ImageContext? ImageRow(ImageSummary image, bool truncate, TimeProvider clock)
    {
        var dangling = image.RepoTags is ["<none>:<none>"] && image.RepoDigests is ["<none>@<none>"];
        if (image.RepoTags.Count == 0 || dangling)
            return new ImageContext(image, "<none>", "<none>", "", truncate, clock);
        if (ImageReference.TryParse(image.RepoTags[0]) is not { } reference)
            return null;
        return reference.Tag is { } tag
            ? new ImageContext(image, reference.FamiliarName, tag, "", truncate, clock)
            : new ImageContext(image, "<none>", "<none>", "", truncate, clock);
    }

    /// <summary>docker leaves the virtual size out here: <c>Size</c> is the writable layer alone.</summary>
    private static ContainerContext ContainerRow(Api.Models.Containers.ContainerSummary container, bool truncate, TimeProvider clock)
    {
        container.SizeRootFs = null;
        return new ContainerContext(container, truncate, clock);
    }

    /// <summary>What a verbose <c>--format</c> template sees: docker's <c>diskUsageContext</c>.</summary>
    private sealed record Lists(List<object?> Images, List<object?> Containers, List<object?> Volumes, List<object?> BuildCache)
        : IStructTemplateObject
    {
        public IEnumerable<string> FieldNames => ["Images", "Containers", "Volumes", "BuildCache"];

        public string TypeName => "*formatter.diskUsageContext";

        public bool TryGetField(string name, out object? value)
        {
            value = name switch
            {
                "Images" => Images,
                "Containers" => Containers,
                "Volumes" => Volumes,
                "BuildCache" => BuildCache,
                _ => null,
            };
            return value is not null;
        }
    }
}
