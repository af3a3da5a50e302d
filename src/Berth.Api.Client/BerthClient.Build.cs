using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Streams;

namespace Berth.Api.Client;

public sealed partial class BerthClient
{
    public IAsyncEnumerable<JsonMessage> ImageBuildAsync(BuildContext context, ImageBuildOptions options, CancellationToken cancellationToken = default) =>
        StreamJsonAsync(HttpMethod.Post, "/build" + BuildQuery(options), ApiJsonContext.Default.JsonMessage, new BuildContextContent(context),
            cancellationToken, request => request.Headers.TryAddWithoutValidation("X-Registry-Config", options.RegistryConfig ?? RegistryAuth.Anonymous));

    /// <summary>The query the Go client writes for the legacy builder (<c>version=1</c>): Go sorts it by name.</summary>
    internal static string BuildQuery(ImageBuildOptions options)
    {
        var query = new Query();
        if (options.BuildArgs.Count > 0)
            query.Add("buildargs", JsonObject(options.BuildArgs));
        if (options.CacheFrom.Count > 0)
            query.Add("cachefrom", JsonArray(options.CacheFrom));
        query.Add("cgroupparent", NullIfEmpty(options.CgroupParent)).Add("cpuperiod", NullIfZero(options.CpuPeriod))
            .Add("cpuquota", NullIfZero(options.CpuQuota)).Add("cpusetcpus", NullIfEmpty(options.CpusetCpus))
            .Add("cpusetmems", NullIfEmpty(options.CpusetMems)).Add("cpushares", NullIfZero(options.CpuShares))
            .Add("dockerfile", NullIfEmpty(options.Dockerfile));
        foreach (var host in options.ExtraHosts)
            query.Add("extrahosts", host);
        query.Flag("forcerm", options.ForceRemove).Add("isolation", options.Isolation is "" or "default" ? null : options.Isolation);
        if (options.Labels.Count > 0)
            query.Add("labels", JsonObject(options.Labels.ToDictionary(l => l.Key, string? (l) => l.Value)));
        query.Add("memory", NullIfZero(options.Memory)).Add("memswap", NullIfZero(options.MemorySwap))
            .Add("networkmode", options.NetworkMode is "" or "default" ? null : options.NetworkMode)
            .Flag("nocache", options.NoCache).Add("platform", NullIfEmpty(options.Platform)).Flag("pull", options.Pull)
            .Flag("q", options.Quiet).Add("remote", NullIfEmpty(options.RemoteContext)).Add("rm", options.Remove ? null : "0");
        foreach (var option in options.SecurityOpt)
            query.Add("securityopt", option);
        query.Add("shmsize", NullIfZero(options.ShmSize)).Flag("squash", options.Squash);
        foreach (var tag in options.Tags)
            query.Add("t", tag);
        query.Add("target", NullIfEmpty(options.Target));
        if (options.Ulimits.Count > 0)
            query.Add("ulimits", Ulimits(options.Ulimits));
        return query.Add("version", "1").ToString();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? NullIfZero(long value) => value == 0 ? null : value.ToString(CultureInfo.InvariantCulture);

    private static string JsonArray(IEnumerable<string> values) => WriteJson(writer =>
    {
        writer.WriteStartArray();
        foreach (var value in values)
            writer.WriteStringValue(value);
        writer.WriteEndArray();
    });

    /// <summary>Go's <c>[]*container.Ulimit</c>: <c>[{"Name":…,"Hard":…,"Soft":…}]</c>.</summary>
    private static string Ulimits(IEnumerable<(string Name, long Soft, long Hard)> ulimits) => WriteJson(writer =>
    {
        writer.WriteStartArray();
        foreach (var (name, soft, hard) in ulimits)
        {
            writer.WriteStartObject();
            writer.WriteString("Name", name);
            writer.WriteNumber("Hard", hard);
            writer.WriteNumber("Soft", soft);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    /// <summary>A Go map as <c>encoding/json</c> writes it: keys sorted, a nil value as <c>null</c>.</summary>
    private static string JsonObject(IReadOnlyDictionary<string, string?> values) => WriteJson(writer =>
    {
        writer.WriteStartObject();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (value is null)
                writer.WriteNull(key);
            else
                writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    });

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The context tar, written straight to the connection as it is packed (chunked, as the docker CLI streams it).</summary>
    private sealed class BuildContextContent : HttpContent
    {
        private readonly BuildContext _context;

        public BuildContextContent(BuildContext context)
        {
            _context = context;
            Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            _context.WriteAsync(stream, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            _context.WriteAsync(stream, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
