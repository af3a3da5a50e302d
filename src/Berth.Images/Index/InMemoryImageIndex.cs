using Berth.Oci.Image;

namespace Berth.Images.Index;

/// <summary>An <see cref="IImageIndex"/> in memory, for tests and throwaway stores. One lock makes each change atomic.</summary>
public sealed class InMemoryImageIndex : IImageIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Digest, ImageRecord> _images = [];
    private readonly Dictionary<string, Digest> _references = new(StringComparer.Ordinal);

    public Task<ImageRecord?> GetAsync(Digest id, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_images.GetValueOrDefault(id));
    }

    public Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<ImageRecord>>([.. _images.Values]);
    }

    public Task<Digest?> ResolveAsync(string reference, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_references.TryGetValue(reference, out var id) ? id : (Digest?)null);
    }

    public Task<IReadOnlyList<KeyValuePair<string, Digest>>> ReferencesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<KeyValuePair<string, Digest>>>([.. _references]);
    }

    public Task PutAsync(ImageRecord image, IReadOnlyCollection<string> references, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _images[image.Id] = references.Count > 0 ? image with { LastTagTime = now } : image;
            foreach (var reference in references) _references[reference] = image.Id;
        }
        return Task.CompletedTask;
    }

    public Task<Digest?> SetReferenceAsync(string reference, Digest id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_images.TryGetValue(id, out var image)) throw new KeyNotFoundException($"image {id} not found");
            Digest? previous = _references.TryGetValue(reference, out var old) ? old : null;
            _references[reference] = id;
            _images[id] = image with { LastTagTime = now };
            return Task.FromResult(previous);
        }
    }

    public Task<bool> RemoveReferenceAsync(string reference, CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_references.Remove(reference));
    }

    public Task<bool> DeleteAsync(Digest id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var (reference, _) in _references.Where(r => r.Value == id).ToList()) _references.Remove(reference);
            return Task.FromResult(_images.Remove(id));
        }
    }
}
