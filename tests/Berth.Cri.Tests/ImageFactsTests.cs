using Berth.Cri.Images;
using Berth.Cri.V1;
using Berth.Engine;
using Grpc.Core;

namespace Berth.Cri.Tests;

public sealed class ImageFactsTests
{
    [Theory]
    [InlineData("busybox:latest", "docker.io/library/busybox:latest")]
    [InlineData("localhost:5000/a/b:1", "localhost:5000/a/b:1")]
    [InlineData("busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "docker.io/library/busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Not A Name", "Not A Name")]
    public void Names_are_shown_fully_qualified(string name, string qualified) => Assert.Equal(qualified, ImageFacts.Qualified(name));

    [Theory]
    [InlineData(null, null, "")]
    [InlineData("", null, "")]
    [InlineData("1000", 1000L, "")]
    [InlineData("1000:100", 1000L, "")]
    [InlineData("nginx:nginx", null, "nginx")]
    public void The_images_user_is_a_uid_or_a_name(string? user, long? uid, string name) => Assert.Equal((uid, name), ImageFacts.UserOf(user));

    [Fact]
    public void Registry_credentials_come_as_user_and_password_or_as_base64_auth()
    {
        Assert.Null(CriImageService.LoginOf(null));
        Assert.Null(CriImageService.LoginOf(new AuthConfig()));
        Assert.Equal(("u", "p"), Pair(CriImageService.LoginOf(new AuthConfig { Username = "u", Password = "p" })));
        Assert.Equal(("u", "p:q"), Pair(CriImageService.LoginOf(new AuthConfig { Auth = Convert.ToBase64String("u:p:q"u8) })));
    }

    [Theory]
    [InlineData(ErrorKind.NotFound, StatusCode.NotFound)]
    [InlineData(ErrorKind.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(ErrorKind.Conflict, StatusCode.FailedPrecondition)]
    [InlineData(ErrorKind.System, StatusCode.Internal)]
    public void Engine_errors_map_to_gRPC_statuses(ErrorKind kind, StatusCode status) => Assert.Equal(status, EngineErrorInterceptor.StatusOf(kind));

    private static (string?, string?) Pair(Engine.Images.RegistryLogin? login) => (login?.Username, login?.Password);
}
