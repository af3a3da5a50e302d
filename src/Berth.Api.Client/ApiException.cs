using System.Net;

namespace Berth.Api.Client;

/// <summary>The daemon answered with an error status; <see cref="Exception.Message"/> is its <c>{"message"}</c>.</summary>
public sealed class ApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
}

/// <summary>The daemon could not be reached at all (no socket, refused, reset before a response).</summary>
public sealed class DaemonUnreachableException(DaemonEndpoint endpoint, Exception inner)
    : Exception($"Cannot connect to the Berth daemon at {endpoint.Original}. Is the berth daemon running?", inner);
