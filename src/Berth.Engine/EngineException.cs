namespace Berth.Engine;

/// <summary>The closed set of ways an engine call fails; the API maps each to one HTTP status, once.</summary>
public enum ErrorKind
{
    NotFound,
    Conflict,
    InvalidArgument,
    NotModified,
    Forbidden,
    Unauthorized,
    Unavailable,
    /// <summary>What the configuration in use cannot do (Docker's errdefs.NotImplemented): 501.</summary>
    NotImplemented,
    /// <summary>The daemon failed (Docker's errdefs.System): 500.</summary>
    System,
}

/// <summary>An engine failure of a known kind; its message is what the user sees.</summary>
public sealed class EngineException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;
}
