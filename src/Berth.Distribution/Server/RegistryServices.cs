using Berth.Distribution.Server.Auth;
using Berth.Distribution.Server.Http;
using Berth.Distribution.Server.Proxy;
using Berth.Distribution.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Server;

public static class RegistryServices
{
    /// <summary>
    /// Registers the registry (stores, handlers, the authorizer its options choose) over <paramref name="driver"/>.
    /// Then <see cref="RegistryEndpoints.MapBerthRegistry"/> maps its routes; berthd does both to host a registry.
    /// </summary>
    public static IServiceCollection AddBerthRegistry(this IServiceCollection services, RegistryOptions options, IStorageDriver driver)
    {
        services.AddSingleton(options);
        services.AddSingleton(driver);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BlobStore>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<ManifestStore>();
        services.AddSingleton<Listings>();
        if (options.Proxy is { } proxy)
        {
            services.AddSingleton(provider => new UpstreamClient(UpstreamHttp(), proxy, provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton<PullThroughCache>();
        }
        services.AddSingleton<ManifestHandlers>();
        services.AddSingleton<BlobHandlers>();
        services.AddSingleton<UploadHandlers>();
        services.AddSingleton<ListingHandlers>();
        var htpasswd = options.HtpasswdPath is null ? null : Htpasswd.Load(options.HtpasswdPath);
        var key = options.Token is null ? null : options.Token.KeyPath is { } keyPath ? SigningKey.Load(keyPath) : SigningKey.CreateEphemeral();
        services.AddSingleton<IRegistryAuthorizer>(provider => (options.Token, key, htpasswd) switch
        {
            ({ } token, { } k, _) => new TokenAuthorizer(token, k, provider.GetRequiredService<TimeProvider>()),
            (null, _, { } h) => new BasicAuthorizer(h),
            _ => new AllowAllAuthorizer(),
        });
        services.AddSingleton(provider => new RegistryHandlers(
            provider.GetRequiredService<ManifestHandlers>(),
            provider.GetRequiredService<BlobHandlers>(),
            provider.GetRequiredService<UploadHandlers>(),
            provider.GetRequiredService<ListingHandlers>(),
            options.Token is { } token && key is { CanSign: true }
                ? new TokenEndpoint(token, key, htpasswd, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<TokenEndpoint>>())
                : null));
        return services;
    }

    private static HttpClient UpstreamHttp() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // layers take as long as they take; clients cancel
    };
}
