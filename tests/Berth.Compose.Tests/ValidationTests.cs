namespace Berth.Compose.Tests;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("servics:\n  web: {image: busybox}\n", "(root): additional properties 'servics' not allowed")]
    [InlineData("services:\n  web: {image: busybox, imag: x}\n", "services.web: additional properties 'imag' not allowed")]
    [InlineData("services:\n  web: {command: x}\n", "service \"web\" has neither an image nor a build context specified: invalid compose project")]
    [InlineData("services:\n  web: {image: busybox, depends_on: [db]}\n", "service \"web\" depends on undefined service \"db\": invalid compose project")]
    [InlineData("services:\n  web: {image: busybox, networks: [front]}\n", "service \"web\" refers to undefined network front: invalid compose project")]
    [InlineData("services:\n  web: {image: busybox, volumes: [\"data:/d\"]}\n", "service \"web\" refers to undefined volume data: invalid compose project")]
    [InlineData("services:\n  a: {image: busybox, depends_on: [b]}\n  b: {image: busybox, depends_on: [c]}\n  c: {image: busybox, depends_on: [a]}\n",
        "dependency cycle detected: a -> b -> c -> a")]
    [InlineData("services:\n  web: {image: \"${TAG:?set TAG}\"}\n", "services.web.image: required variable TAG is missing a value: set TAG")]
    [InlineData("services:\n  web: {image: busybox, ports: [\"x:80\"]}\n", "services.web.ports: invalid port: x")]
    [InlineData("services:\n  web: {image: busybox, depends_on: {db: {condition: service_done}}}\n  db: {image: busybox}\n",
        "services.web.depends_on.db.condition: must be one of service_started, service_healthy, service_completed_successfully: service_done")]
    [InlineData("services:\n  web:\n    image: a\n    image: b\n", "yaml: mapping key \"image\" already defined")]
    [InlineData("services:\n  web: {image: busybox, privileged: maybe}\n", "services.web.privileged: must be a boolean")]
    [InlineData("services:\n  web: {image: busybox, deploy: {replicas: many}}\n", "services.web.deploy.replicas: must be a number")]
    [InlineData("services:\n  web: {image: busybox, scale: two}\n", "services.web.scale: must be a number")]
    [InlineData("services:\n  web: {image: busybox, ports: 80}\n", "services.web.ports: must be a list")]
    [InlineData("services:\n  web: {image: busybox}\nnetworks:\n  front: 3\n", "networks.front: must be a mapping")]
    [InlineData("services:\n  web: {image: busybox}\nvolumes: [data]\n", "volumes: must be a mapping")]
    public void Bad_files_are_refused_with_the_file_the_path_and_the_reason(string yaml, string expected)
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", yaml);
        var e = Assert.Throws<ComposeException>(() => dir.Load());
        Assert.EndsWith(expected, e.Message);
        if (e.File.Length > 0)
            Assert.Equal(Path.Combine(dir.Root, "compose.yaml"), e.File);
    }

    [Fact]
    public void Missing_files_are_reported()
    {
        using var dir = new ProjectDirectory();
        Assert.Equal("no configuration file provided: not found", Assert.Throws<ComposeException>(() => dir.Load()).Message);
    }
}
