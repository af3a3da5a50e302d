using Berth.Engine.Images;

namespace Berth.Engine.Tests.Images;

public sealed class ImageListFilterTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly ImageView Busybox = Image("sha256:" + new string('1', 64),
        ["busybox:latest", "busybox:1.36", "127.0.0.1:5000/busybox:latest"], ["busybox@sha256:" + new string('a', 64)], ("tier", "base"));

    private static readonly ImageView App = Image("sha256:" + new string('2', 64), ["library/app:v1"], [], ("tier", "web"), ("team", "a"));

    private static readonly ImageView Dangling = Image("sha256:" + new string('3', 64), [], []);

    private static ImageView Image(string id, string[] tags, string[] digests, params (string Key, string Value)[] labels) =>
        new(id, tags, digests, Created, 1024, labels.ToDictionary(l => l.Key, l => l.Value));

    private static IReadOnlyList<ImageView> List(params (string Key, string Value)[] pairs) =>
        new ImageListFilter(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Value)]))
            .Apply([Busybox, App, Dangling]);

    [Fact]
    public void No_filter_lists_every_image_as_it_is()
    {
        Assert.Equal([Busybox, App, Dangling], List()); // the same records: nothing was copied
    }

    [Theory]
    [InlineData("true", new[] { 3 })]
    [InlineData("1", new[] { 3 })]
    [InlineData("false", new[] { 1, 2 })]
    public void Dangling_selects_untagged_images_or_the_others(string value, int[] expected)
    {
        Assert.Equal(expected, List(("dangling", value)).Select(i => i.Id[^1] - '0'));
    }

    [Fact]
    public void Labels_must_all_match()
    {
        Assert.Same(App, Assert.Single(List(("label", "tier=web"), ("label", "team"))));
        Assert.Empty(List(("label", "tier=web"), ("label", "team=b")));
    }

    [Fact]
    public void Reference_keeps_only_the_matching_tags_and_digests_of_an_image()
    {
        var listed = Assert.Single(List(("reference", "busybox")));
        Assert.Equal(["busybox:latest", "busybox:1.36"], listed.RepoTags);
        Assert.Equal(["busybox@sha256:" + new string('a', 64)], listed.RepoDigests);
    }

    [Fact]
    public void Reference_with_a_tag_matches_tags_only_and_stars_stay_within_a_path_component()
    {
        var listed = Assert.Single(List(("reference", "busybox:1.*")));
        Assert.Equal(["busybox:1.36"], listed.RepoTags);
        Assert.Empty(listed.RepoDigests);
        Assert.Equal(["library/app:v1"], Assert.Single(List(("reference", "library/*:v1"))).RepoTags);
        Assert.Empty(List(("reference", "*:v1")));
    }

    [Fact]
    public void A_colon_before_the_last_slash_is_a_registry_port_not_a_tag()
    {
        var listed = Assert.Single(List(("reference", "127.0.0.1:5000/busybox")));
        Assert.Equal(["127.0.0.1:5000/busybox:latest"], listed.RepoTags);
    }

    [Fact]
    public void Any_reference_may_match()
    {
        Assert.Equal([Busybox.Id, App.Id], List(("reference", "busybox:1.36"), ("reference", "library/app")).Select(i => i.Id));
    }
}
