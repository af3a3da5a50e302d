using Berth.Distribution.Server.Auth;

namespace Berth.Distribution.Server.Http;

/// <summary>The handler groups the route table dispatches to (and the token endpoint, when this process issues tokens).</summary>
public sealed record RegistryHandlers(
    ManifestHandlers Manifests,
    BlobHandlers Blobs,
    UploadHandlers Uploads,
    ListingHandlers Listings,
    TokenEndpoint? Token);
