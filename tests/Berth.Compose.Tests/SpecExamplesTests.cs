using Berth.Compose.Loading;

namespace Berth.Compose.Tests;

/// <summary>
/// The Compose Specification's own examples: the substitution cases of its reference implementation's template tests
/// (compose-go's template package, with FOO=first, BAR empty and JSON set) and the specification's illustrative
/// application (a frontend and a backend, two networks, a volume with driver options, external config and secret).
/// </summary>
public sealed class SpecExamplesTests
{
    private static readonly Dictionary<string, string> Defaults = new() { ["FOO"] = "first", ["BAR"] = "", ["JSON"] = """{"json":2}""" };

    private static string Substitute(string text, List<string>? warnings = null, Func<string, string?>? lookup = null) =>
        new Interpolation(lookup ?? Defaults.GetValueOrDefault, w => warnings?.Add(w)).Substitute(text, "compose.yaml", "x");

    [Theory]
    [InlineData("$${foo}", "${foo}")]
    [InlineData("foo", "foo")]
    [InlineData("a $ string", "a $ string")]
    [InlineData("^REGEX$", "^REGEX$")]
    [InlineData("$}", "$}")]
    [InlineData("$", "$")]
    [InlineData("$FOO-bar", "first-bar")]
    [InlineData("This ${missing} var", "This  var")]
    [InlineData("This ${BAR} var", "This  var")]
    [InlineData("This $FOO var", "This first var")]
    [InlineData("This ${FOO} var", "This first var")]
    [InlineData("ok ${missing:-def}", "ok def")]
    [InlineData("ok ${missing-def}", "ok def")]
    [InlineData("ok ${BAR:-def}", "ok def")]
    [InlineData("ok ${FOO:-def}", "ok first")]
    [InlineData("ok ${BAR-def}", "ok ")]
    [InlineData("ok ${UNSET_VAR:+presence_value}", "ok ")]
    [InlineData("ok ${UNSET_VAR+presence_value}", "ok ")]
    [InlineData("ok ${FOO:+presence_value}", "ok presence_value")]
    [InlineData("ok ${FOO+presence_value}", "ok presence_value")]
    [InlineData("ok ${BAR+presence_value}", "ok presence_value")]
    [InlineData("ok ${BAR:+presence_value}", "ok ")]
    [InlineData("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric")]
    [InlineData("-ok ${BAR:-defaultValue}", "-ok defaultValue")]
    [InlineData("+ok ${UNSET:-${BAR-defaultValue}}", "+ok ")]
    [InlineData(":-ok ${UNSET-defaultValue}", ":-ok defaultValue")]
    [InlineData(":?ok ${BAR:-defaultValue}", ":?ok defaultValue")]
    [InlineData("ok ${UNSET_VAR-$FOO}", "ok first")]
    [InlineData("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first")]
    [InlineData("ok ${BAR:-${FOO} ${FOO}}", "ok first first")]
    [InlineData("ok ${BAR+$FOO ${FOO:+second}}", "ok first second")]
    [InlineData("{{{ ${FOO:-foo?bar?value} }}}", "{{{ first }}}")]
    [InlineData("{{{ ${missing:-foo:?bar:?value} }}}", "{{{ foo:?bar:?value }}}")]
    [InlineData("${JSON}", """{"json":2}""")]
    public void Substitutes_as_the_reference_implementation(string template, string expected) => Assert.Equal(expected, Substitute(template));

    [Theory]
    [InlineData("${")]
    [InlineData("${}")]
    [InlineData("${ }")]
    [InlineData("${ foo}")]
    [InlineData("${foo }")]
    [InlineData("${foo!}")]
    public void Malformed_templates_are_refused(string template) =>
        Assert.StartsWith("invalid interpolation format for x.", Assert.Throws<ComposeException>(() => Substitute(template)).Reason);

    [Fact]
    public void A_default_is_only_evaluated_and_warned_about_when_used()
    {
        var warnings = new List<string>();
        Assert.Equal("B", Substitute("${A:+${A},}B", warnings));
        Assert.Empty(warnings);
        Assert.Equal("value", Substitute("${A?${B}}", warnings, name => name == "A" ? "value" : null));
        Assert.Empty(warnings);
        Assert.Equal("", Substitute("${A:-${B}}", warnings));
        Assert.Single(warnings);
    }

    [Theory]
    [InlineData("${missing:?foo_}", "foo_")]
    [InlineData("{{{ ${missing:?foo} ${BAR:-DEFAULT_VALUE} }}}", "foo")]
    [InlineData("${BAR:?bar is empty}", "bar is empty")]
    public void A_required_variable_missing_fails_with_its_message(string template, string message) =>
        Assert.EndsWith(": " + message, Assert.Throws<ComposeException>(() => Substitute(template)).Reason);

    [Fact]
    public void The_specifications_illustrative_application_loads()
    {
        using var dir = new ProjectDirectory("illustrative").Write("compose.yaml", """
            services:
              frontend:
                image: example/webapp
                ports:
                  - "443:8043"
                networks:
                  - front-tier
                  - back-tier
                configs:
                  - httpd-config
                secrets:
                  - server-certificate

              backend:
                image: example/database
                volumes:
                  - db-data:/etc/data
                networks:
                  - back-tier

            volumes:
              db-data:
                driver: flocker
                driver_opts:
                  size: "10GiB"

            configs:
              httpd-config:
                external: true

            secrets:
              server-certificate:
                external: true

            networks:
              # The presence of these objects is sufficient to define them
              front-tier: {}
              back-tier: {}
            """);
        var project = dir.Load();
        Assert.Equal("illustrative", project.Name);
        var frontend = project.Service("frontend")!;
        Assert.Equal((8043, "443"), (frontend.Ports.Single().Target, frontend.Ports.Single().Published));
        Assert.Equal(["back-tier", "front-tier"], frontend.Networks.Select(n => n.Key).Order());
        Assert.Equal(["illustrative_back-tier", "illustrative_front-tier"], project.Networks.Select(n => n.Name).Order());
        var volume = project.Volumes.Single();
        Assert.Equal(("illustrative_db-data", "flocker", "10GiB"), (volume.Name, volume.Driver, volume.DriverOptions["size"]));
        Assert.Equal("/etc/data", project.Service("backend")!.Volumes.Single().Target);
        var yaml = project.ToYaml();
        Assert.Contains("server-certificate:", yaml);
        Assert.Contains("httpd-config:", yaml);
    }
}
