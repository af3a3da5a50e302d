using Berth.Api.Models;
using Berth.Api.Models.Exec;
using Berth.Api.Server.Containers;
using Berth.Api.Server.Hijack;
using Berth.Engine.Containers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using E = Berth.Engine.Containers.Model;

namespace Berth.Api.Server.Exec;

/// <summary>
/// <code>
/// POST /containers/{id}/exec  → 201 {Id}
/// POST /exec/{id}/start       → detached: 200; attached without Upgrade: 200 + the raw stream (with Upgrade: HijackMiddleware)
/// POST /exec/{id}/resize?h=&amp;w= → 200
/// GET  /exec/{id}/json        → ExecInspectResponse
/// </code>
/// </summary>
public static class ExecEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/containers/{id}/exec", Create);
        routes.MapPost("/exec/{id}/start", Start);
        routes.MapPost("/exec/{id}/resize", async c =>
        {
            var (h, w) = ContainerEndpoints.Size(c.Request);
            await ContainerEndpoints.Service(c).ResizeExecAsync(ContainerEndpoints.Id(c), h, w, c.RequestAborted);
        });
        routes.MapGet("/exec/{id}/json", Inspect);
    }

    public static E.ConsoleSize? Size(uint[]? size) =>
        size is [var h, var w] && h > 0 && w > 0 ? new E.ConsoleSize((ushort)h, (ushort)w) : null;

    private static async Task Create(HttpContext c)
    {
        var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.ExecCreateRequest, () => new ExecCreateRequest());
        var exec = ContainerEndpoints.Service(c).CreateExec(ContainerEndpoints.Id(c), new ExecConfig
        {
            Cmd = body.Cmd ?? [],
            Env = body.Env ?? [],
            User = body.User,
            WorkingDir = body.WorkingDir,
            Tty = body.Tty,
            AttachStdin = body.AttachStdin,
            AttachStdout = body.AttachStdout,
            AttachStderr = body.AttachStderr,
            Privileged = body.Privileged,
            DetachKeys = body.DetachKeys,
            ConsoleSize = Size(body.ConsoleSize),
        });
        await Json.WriteAsync(c.Response, StatusCodes.Status201Created, new ExecCreateResponse { Id = exec.Id }, ApiJsonContext.Default.ExecCreateResponse);
    }

    private static async Task Start(HttpContext c)
    {
        var body = await Json.ReadAsync(c.Request, ApiJsonContext.Default.ExecStartRequest, () => new ExecStartRequest());
        var session = await ContainerEndpoints.Service(c).StartExecAsync(ContainerEndpoints.Id(c), body.Detach, Size(body.ConsoleSize), c.RequestAborted);
        if (session is null) return;
        await using (session)
        {
            c.Response.ContentType = Streams.StdioFraming.ContentType(body.Tty);
            await c.Response.StartAsync(c.RequestAborted);
            await HijackHandler.PumpOutputAsync(session, body.Tty, c.Response.BodyWriter, c.RequestAborted);
        }
    }

    private static Task Inspect(HttpContext c)
    {
        var exec = ContainerEndpoints.Service(c).GetExec(ContainerEndpoints.Id(c));
        return Json.WriteAsync(c.Response, new ExecInspectResponse
        {
            ID = exec.Id,
            ContainerID = exec.ContainerId,
            Running = exec.Running,
            ExitCode = exec.ExitCode,
            Pid = exec.Pid,
            CanRemove = false,
            DetachKeys = exec.Config.DetachKeys ?? "",
            OpenStdin = exec.Config.AttachStdin,
            OpenStdout = exec.Config.AttachStdout,
            OpenStderr = exec.Config.AttachStderr,
            ProcessConfig = new ExecProcessConfig
            {
                Entrypoint = exec.Config.Cmd.FirstOrDefault() ?? "",
                Arguments = [.. exec.Config.Cmd.Skip(1)],
                Tty = exec.Config.Tty,
                Privileged = exec.Config.Privileged,
                User = string.IsNullOrEmpty(exec.Config.User) ? null : exec.Config.User,
            },
        }, ApiJsonContext.Default.ExecInspectResponse);
    }
}
