using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Streams;

namespace Berth.Cli.Tests.Client;

public sealed class ModelJsonTests
{
    [Fact]
    public void Inspect_omits_health_when_absent_and_keeps_empty_maps()
    {
        var json = JsonSerializer.Serialize(new ContainerInspectResponse(), ApiJsonContext.Default.ContainerInspectResponse);
        Assert.DoesNotContain("\"Health\"", json);
        Assert.Contains("\"Ports\":{}", json);
        Assert.Contains("\"StartedAt\":\"0001-01-01T00:00:00Z\"", json);
        Assert.DoesNotContain("SizeRw", json);
    }

    [Fact]
    public void Wait_omits_a_missing_error()
    {
        Assert.Equal("{\"StatusCode\":3}", JsonSerializer.Serialize(new ContainerWaitResponse { StatusCode = 3 }, ApiJsonContext.Default.ContainerWaitResponse));
    }

    [Fact]
    public void Create_body_has_config_fields_at_the_top_and_accepts_a_string_cmd()
    {
        var request = JsonSerializer.Deserialize("{\"image\":\"busybox\",\"Cmd\":\"echo hi\",\"HostConfig\":{\"Memory\":5,\"PidsLimit\":null},\"ExposedPorts\":{\"80/tcp\":{}}}",
            ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.Equal(("busybox", 5L, null), (request.Image, request.HostConfig!.Memory, request.HostConfig.PidsLimit));
        Assert.Equal(["echo hi"], request.Cmd);
        Assert.True(request.ExposedPorts!.ContainsKey("80/tcp"));
        var json = JsonSerializer.Serialize(request, ApiJsonContext.Default.ContainerCreateRequest);
        Assert.Contains("\"Image\":\"busybox\"", json);
        Assert.Contains("\"ExposedPorts\":{\"80/tcp\":{}}", json);
    }

    [Fact]
    public void Json_messages_omit_what_is_not_set()
    {
        var message = new JsonMessage { Status = "Downloading", ProgressDetail = new JsonProgress { Current = 0, Total = 0 } };
        Assert.Equal("{\"status\":\"Downloading\",\"progressDetail\":{}}", JsonSerializer.Serialize(message, ApiJsonContext.Default.JsonMessage));
    }
}
