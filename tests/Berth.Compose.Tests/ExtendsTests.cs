namespace Berth.Compose.Tests;

public sealed class ExtendsTests
{
    [Fact]
    public void A_service_extends_one_of_its_file_and_one_of_another_file_with_that_files_paths()
    {
        using var dir = new ProjectDirectory()
            .Write("common/base.yaml", """
                services:
                  base:
                    image: busybox
                    environment: {LEVEL: base, KEEP: "1"}
                    volumes: ["./data:/data"]
                    command: sleep 1
                """)
            .Write("compose.yaml", """
                services:
                  web:
                    extends: {file: common/base.yaml, service: base}
                    environment: {LEVEL: web}
                    command: httpd -f
                  worker:
                    extends: web
                    ports: ["8080:80"]
                """);
        var project = dir.Load();
        var web = project.Service("web")!;
        Assert.Equal("busybox", web.Image);
        Assert.Equal(("web", "1"), (web.Environment["LEVEL"], web.Environment["KEEP"]));
        Assert.Equal(["httpd", "-f"], web.Command);
        Assert.Equal(Path.Combine(dir.Root, "common", "data"), web.Volumes.Single().Source);
        var worker = project.Service("worker")!;
        Assert.Equal(("busybox", "web", "8080"), (worker.Image, worker.Environment["LEVEL"], worker.Ports.Single().Published));
        Assert.DoesNotContain("extends", project.ToYaml());
    }

    [Fact]
    public void A_missing_base_and_a_cycle_are_refused()
    {
        using var missing = new ProjectDirectory().Write("compose.yaml", "services:\n  web: {extends: nope}\n");
        Assert.Equal($"cannot extend service \"web\" in {missing.Root}/compose.yaml: service \"nope\" not found",
            Assert.Throws<ComposeException>(() => missing.Load()).Message);

        using var cycle = new ProjectDirectory().Write("compose.yaml", "services:\n  a: {extends: b, image: x}\n  b: {extends: a}\n");
        var file = $"{cycle.Root}/compose.yaml";
        Assert.Equal($"Circular reference:\n  a in {file}\n  extends b in {file}\n  extends a in {file}",
            Assert.Throws<ComposeException>(() => cycle.Load()).Message);
    }

    [Fact]
    public void Secrets_from_content_and_environment_are_read_from_the_project()
    {
        using var dir = new ProjectDirectory()
            .Write(".env", "TOKEN=s3cret\n")
            .Write("compose.yaml", """
                services:
                  app: {image: busybox, secrets: [token, motd, missing]}
                secrets:
                  token: {environment: TOKEN}
                  motd: {content: hello}
                  missing: {environment: NOT_SET}
                """);
        var project = dir.Load();
        Assert.Equal("s3cret", project.ContentOf("secrets", "token"));
        Assert.Equal("hello", project.ContentOf("secrets", "motd"));
        Assert.Equal("environment variable \"NOT_SET\" required by secret \"myapp_missing\" is not set",
            Assert.Throws<ComposeException>(() => project.ContentOf("secrets", "missing")).Message);
    }
}
