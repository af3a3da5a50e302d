using Berth.Cri.V1;
using Berth.Engine;
using Berth.Engine.Images;
using Grpc.Core;
using EngineImages = Berth.Engine.Images.ImageService;

namespace Berth.Cri.Images;

/// <summary>
/// <c>runtime.v1.ImageService</c> over the engine's image store, the one Docker's API uses: an image built, loaded or
/// pulled with <c>berth</c> is there for pods by the same name, and a pull here shows in <c>berth images</c>.
/// </summary>
internal sealed class CriImageService(EngineImages images, ImageRemovalService removal, CriOptions options) : V1.ImageService.ImageServiceBase
{
    public override async Task<ListImagesResponse> ListImages(ListImagesRequest request, ServerCallContext context)
    {
        var wanted = request.Filter?.Image?.Image is { Length: > 0 } name ? await FindAsync(name, context.CancellationToken) : null;
        var response = new ListImagesResponse();
        foreach (var view in await images.ListAsync(context.CancellationToken))
        {
            if (wanted is not null && wanted.Id != view.Id) continue;
            if (await FindAsync(view.Id, context.CancellationToken) is { } image) response.Images.Add(image);
        }
        return response;
    }

    /// <summary>An image the store does not have is an empty answer, not an error: kubelet pulls on it.</summary>
    public override async Task<ImageStatusResponse> ImageStatus(ImageStatusRequest request, ServerCallContext context)
    {
        var image = await FindAsync(Required(request.Image), context.CancellationToken);
        return image is null ? new ImageStatusResponse() : new ImageStatusResponse { Image = image };
    }

    /// <returns>The image's id, which the CRI takes as the reference of what was pulled.</returns>
    public override async Task<PullImageResponse> PullImage(PullImageRequest request, ServerCallContext context)
    {
        var name = Required(request.Image);
        var ids = await images.PullAsync(name, new PullSpec(ImageFacts.HostPlatform, LoginOf(request.Auth), AllTags: false),
            new Progress<PullProgressEvent>(), context.CancellationToken);
        return new PullImageResponse { ImageRef = ids[0] };
    }

    /// <summary>Every name of the image goes with it, as in containerd; an image already gone is no error.</summary>
    public override async Task<RemoveImageResponse> RemoveImage(RemoveImageRequest request, ServerCallContext context)
    {
        if (await FindAsync(Required(request.Image), context.CancellationToken) is { } image)
        {
            try
            {
                await removal.DeleteAsync(image.Id, force: true, cancellationToken: context.CancellationToken);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Removed meanwhile.
            }
        }
        return new RemoveImageResponse();
    }

    public override async Task<ImageFsInfoResponse> ImageFsInfo(ImageFsInfoRequest request, ServerCallContext context)
    {
        var used = await images.LayersSizeAsync(context.CancellationToken);
        var usage = new FilesystemUsage
        {
            Timestamp = CriTime.Now(),
            FsId = new FilesystemIdentifier { Mountpoint = options.ImageFilesystem },
            UsedBytes = new UInt64Value { Value = (ulong)used },
            InodesUsed = new UInt64Value(),
        };
        return new ImageFsInfoResponse { ImageFilesystems = { usage }, ContainerFilesystems = { usage } };
    }

    /// <summary>The image a tag, digest reference or id names; null when there is none.</summary>
    private async Task<Image?> FindAsync(string name, CancellationToken cancellationToken)
    {
        ImageDetailsView details;
        try
        {
            details = await images.InspectAsync(name, cancellationToken);
        }
        catch (EngineException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.InvalidArgument)
        {
            return null;
        }
        var (uid, username) = ImageFacts.UserOf(details.Config?.User);
        var image = new Image
        {
            Id = details.Id,
            Size = (ulong)details.Size,
            Username = username,
            Spec = new ImageSpec { Image = details.Id },
        };
        if (uid is { } value) image.Uid = new Int64Value { Value = value };
        image.RepoTags.AddRange(details.RepoTags.Select(ImageFacts.Qualified));
        image.RepoDigests.AddRange(details.RepoDigests.Select(ImageFacts.Qualified));
        return image;
    }

    private static string Required(ImageSpec? spec) =>
        spec?.Image is { Length: > 0 } name ? name : throw new RpcException(new Status(StatusCode.InvalidArgument, "an image name is required"));

    /// <summary>
    /// kubelet's credentials for the image's registry: a user and password, or the base64 <c>user:password</c> of
    /// <c>auth</c>, or an identity token; none is an anonymous pull.
    /// </summary>
    internal static RegistryLogin? LoginOf(AuthConfig? auth)
    {
        if (auth is null) return null;
        var (username, password) = (auth.Username, auth.Password);
        if (username.Length == 0 && auth.Auth.Length > 0)
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth.Auth)).Split(':', 2);
            (username, password) = (decoded[0], decoded.Length > 1 ? decoded[1] : "");
        }
        var login = new RegistryLogin(username, password, auth.IdentityToken.Length > 0 ? auth.IdentityToken : null);
        return login.IsAnonymous ? null : login;
    }
}
