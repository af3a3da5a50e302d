using Berth.Engine.Images;

namespace Berth.Engine.Tests.Images;

public sealed class ImageListFilterTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly ImageView Busybox = Image("sha256:" + new string('1', 64),
        ["busybox:latest", "busybox:1.36", "127.0.0.1:5000/busybox:latest"], ["busybox@sha256:" + new string('a', 64)], ("tier", "base"));

    private static readonly ImageView App = Image("sha256:" + new string('2', 64), ["user/app:v1"], [], ("tier", "web"), ("team", "a")) with
    {
        Created = Created.AddHours(1),
    };

    private static readonly ImageView Dangling = Image("sha256:" + new string('3', 64), [], []) with { Created = Created.AddHours(2) };

    private static ImageView Image(string id, string[] tags, string[] digests, params (string Key, string Value)[] labels) =>
        new(id, tags, digests, Created, 1024, labels.ToDictionary(l => l.Key, l => l.Value));

    private static IReadOnlyList<ImageView> List(params (string Key, string Value)[] pairs) =>
        new ImageListFilter(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Value)]),
            now: Created.AddHours(3)).Apply([Busybox, App, Dangling]);

    private static string Refused(ErrorKind kind, params (string Key, string Value)[] pairs)
    {
        var error = Assert.Throws<EngineException>(() => List(pairs));
        Assert.Equal(kind, error.Kind);
        return error.Message;
    }

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
        Assert.Equal(["user/app:v1"], Assert.Single(List(("reference", "user/*:v1"))).RepoTags);
        Assert.Empty(List(("reference", "*:v1")));
        Assert.Equal(["busybox:1.36"], Assert.Single(List(("reference", "busybox:1.3?"))).RepoTags);
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
        Assert.Equal([Busybox.Id, App.Id], List(("reference", "busybox:1.36"), ("reference", "user/app")).Select(i => i.Id));
    }

    [Fact]
    public void Reference_matches_the_canonical_forms_too_and_go_pattern_classes()
    {
        Assert.Equal(["busybox:latest", "busybox:1.36"], Assert.Single(List(("reference", "docker.io/library/busybox"))).RepoTags);
        Assert.Equal(["busybox:1.36"], Assert.Single(List(("reference", "docker.io/library/busybox:1.36"))).RepoTags);
        Assert.Equal(["busybox:1.36"], Assert.Single(List(("reference", "busybox:[0-9].*"))).RepoTags);
        Assert.Equal(["busybox:latest"], Assert.Single(List(("reference", "busybox:[^0-9]*"))).RepoTags);
        Assert.Equal(["user/app:v1"], Assert.Single(List(("reference", "docker.io/*/app"))).RepoTags);
        Assert.Empty(List(("reference", "busybox:[")));
        Assert.Empty(List(("reference", "busybox:[]")));
    }

    [Fact]
    public void Label_bang_and_a_key_ending_in_bang_turn_the_check_round()
    {
        Assert.Equal([Busybox.Id, Dangling.Id], List(("label!", "team")).Select(i => i.Id));
        Assert.Equal([Busybox.Id, Dangling.Id], List(("label", "tier!=web")).Select(i => i.Id));
        Assert.Equal([App.Id, Dangling.Id], List(("label!", "tier=base")).Select(i => i.Id));
        Assert.Equal([Busybox.Id], List(("label!", "tier!=base")).Select(i => i.Id));
    }

    [Fact]
    public void Before_and_since_compare_creation_times_with_an_image_named_by_reference_or_id()
    {
        Assert.Equal([Busybox.Id], List(("before", "user/app:v1")).Select(i => i.Id));
        Assert.Equal([App.Id, Dangling.Id], List(("since", "busybox")).Select(i => i.Id));
        Assert.Equal([App.Id], List(("since", "docker.io/library/busybox:1.36"), ("before", new string('3', 12))).Select(i => i.Id));
        Assert.Equal([Busybox.Id, App.Id], List(("before", Dangling.Id)).Select(i => i.Id));
        Assert.Equal([App.Id, Dangling.Id], List(("since", "busybox@sha256:" + new string('a', 64))).Select(i => i.Id));
        Assert.Equal("No such image: nope:1", Refused(ErrorKind.NotFound, ("before", "nope:1")));
    }

    [Fact]
    public void Until_takes_a_timestamp_or_a_duration_before_now()
    {
        Assert.Equal([Busybox.Id], List(("until", "150m")).Select(i => i.Id));
        Assert.Equal([Busybox.Id, App.Id], List(("until", "2026-12-07T13:30:00Z")).Select(i => i.Id));
        Assert.StartsWith("invalid value for 'until' filter: ", Refused(ErrorKind.InvalidArgument, ("until", "soon")));
    }

    [Theory]
    [InlineData("color", "red", "invalid filter 'color'")]
    [InlineData("dangling", "yes", "invalid filter 'dangling=[yes]'")]
    public void Bad_keys_and_values_are_refused_with_mobys_message(string key, string value, string message)
    {
        Assert.Equal(message, Refused(ErrorKind.InvalidArgument, (key, value)));
    }
}
