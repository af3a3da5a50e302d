using System.Text;
using Berth.Oci.Image;

namespace Berth.Images.Layers;

/// <summary>OCI chain ids (image-spec <c>config.md</c>): chain(1) = diffid(1); chain(n) = sha256(chain(n-1) + " " + diffid(n)).</summary>
public static class ChainIds
{
    public static IReadOnlyList<Digest> Compute(IEnumerable<Digest> diffIds)
    {
        var chain = new List<Digest>();
        foreach (var diffId in diffIds)
            chain.Add(chain.Count == 0 ? diffId : Digest.Sha256(Encoding.ASCII.GetBytes($"{chain[^1]} {diffId}")));
        return chain;
    }
}
