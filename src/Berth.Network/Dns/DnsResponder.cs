using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>
/// What the embedded DNS server answers itself, as Docker's resolver does: A and AAAA for container names, PTR for
/// their addresses, an empty answer to MX for a container name, all with a TTL of 600 s. Anything else (and every
/// name the engine does not know) is left to the upstream servers: <see cref="Answer"/> returns null.
/// </summary>
internal sealed class DnsResponder(IDnsNames names, ILogger logger)
{
    /// <summary>Docker's respTTL.</summary>
    public const uint Ttl = 600;

    private const string Ipv4Reverse = ".in-addr.arpa", Ipv6Reverse = ".ip6.arpa";

    public DnsMessage? Answer(DnsMessage query)
    {
        var question = query.Questions[0];
        return question.Type switch
        {
            DnsType.A => AnswerAddresses(query, question, AddressFamily.InterNetwork),
            DnsType.Aaaa => AnswerAddresses(query, question, AddressFamily.InterNetworkV6),
            DnsType.Mx => names.ResolveA(Normalize(question.Name)) is null ? null : DnsMessage.ReplyTo(query),
            DnsType.Ptr => AnswerPtr(query, question),
            _ => null,
        };
    }

    private DnsMessage? AnswerAddresses(DnsMessage query, DnsQuestion question, AddressFamily family)
    {
        var addresses = names.ResolveA(Normalize(question.Name));
        if (addresses is null) return null;
        var answers = addresses.Where(a => a.AddressFamily == family).Select(a => DnsRecord.ForAddress(question.Name, a, Ttl)).ToArray();
        Random.Shared.Shuffle(answers); // as Docker: a name that several containers share is spread over them
        Log.DnsLocalAnswer(logger, question.Name, string.Join(", ", answers.Select(a => a.Address)));
        return DnsMessage.ReplyTo(query, answers: answers);
    }

    private DnsMessage? AnswerPtr(DnsMessage query, DnsQuestion question)
    {
        if (ReverseAddress(question.Name) is not { } address) return null;
        if (names.ResolvePtr(address) is not { } host) return null;
        Log.DnsLocalAnswer(logger, question.Name, host);
        return DnsMessage.ReplyTo(query, answers: [DnsRecord.ForPtr(question.Name, host.TrimEnd('.'), Ttl)]);
    }

    /// <summary>The name the engine is asked about: lower case, no trailing dot.</summary>
    internal static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    /// <summary>The address of a full reverse name (<c>4.3.2.1.in-addr.arpa</c>, 32 nibbles <c>.ip6.arpa</c>); null for anything else.</summary>
    internal static IPAddress? ReverseAddress(string name)
    {
        name = Normalize(name);
        if (name.EndsWith(Ipv4Reverse, StringComparison.Ordinal))
        {
            var labels = name[..^Ipv4Reverse.Length].Split('.');
            if (labels.Length != 4) return null;
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (!byte.TryParse(labels[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i])) return null;
            }
            return new IPAddress(bytes);
        }
        if (name.EndsWith(Ipv6Reverse, StringComparison.Ordinal))
        {
            var labels = name[..^Ipv6Reverse.Length].Split('.');
            if (labels.Length != 32) return null;
            var bytes = new byte[16];
            for (var i = 0; i < 32; i++)
            {
                var label = labels[31 - i];
                if (label.Length != 1 || !byte.TryParse(label, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var nibble)) return null;
                bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
            }
            return new IPAddress(bytes);
        }
        return null;
    }
}
