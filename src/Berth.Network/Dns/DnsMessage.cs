using System.Net;

namespace Berth.Network.Dns;

/// <summary>The record types the embedded DNS server knows by name (RFC 1035, 3596, 6891).</summary>
internal static class DnsType
{
    public const ushort A = 1, Ns = 2, Cname = 5, Soa = 6, Ptr = 12, Mx = 15, Txt = 16, Aaaa = 28, Srv = 33, Opt = 41;
}

/// <summary>Response codes (RFC 1035 §4.1.1).</summary>
internal enum DnsRcode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
}

/// <summary>A question; <see cref="Name"/> is dotted, without the root's trailing dot, "\." and "\\" escaping a label's own dots and backslashes.</summary>
internal readonly record struct DnsQuestion(string Name, ushort Type, ushort Class = DnsMessage.ClassIn);

/// <summary>
/// A resource record. <see cref="Data"/> is the RDATA as received; for A and AAAA <see cref="Address"/> holds it
/// decoded, for PTR, CNAME and NS <see cref="Target"/> holds the name decoded (it may be compressed on the wire, so
/// its bytes alone mean nothing outside their message).
/// </summary>
internal sealed record DnsRecord(string Name, ushort Type, ushort Class, uint Ttl, byte[] Data)
{
    public IPAddress? Address { get; init; }
    public string? Target { get; init; }

    public static DnsRecord ForAddress(string name, IPAddress address, uint ttl) =>
        new(name, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsType.Aaaa : DnsType.A, DnsMessage.ClassIn, ttl, address.GetAddressBytes()) { Address = address };

    public static DnsRecord ForPtr(string name, string target, uint ttl) => new(name, DnsType.Ptr, DnsMessage.ClassIn, ttl, []) { Target = target };
}

/// <summary>A DNS message (RFC 1035 §4), as read by <see cref="DnsReader"/> and written by <see cref="DnsWriter"/>.</summary>
internal sealed record DnsMessage
{
    public const ushort ClassIn = 1;

    /// <summary>The UDP payload a client without EDNS accepts (RFC 1035 §2.3.4).</summary>
    public const int MinUdpSize = 512;

    public ushort Id { get; init; }
    public bool IsResponse { get; init; }
    public byte Opcode { get; init; }
    public bool Authoritative { get; init; }
    public bool Truncated { get; init; }
    public bool RecursionDesired { get; init; }
    public bool RecursionAvailable { get; init; }
    public bool AuthenticData { get; init; }
    public bool CheckingDisabled { get; init; }
    public DnsRcode Rcode { get; init; }
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];
    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];
    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>The UDP payload size the sender's EDNS OPT record offers (never below 512), or null without one.</summary>
    public int? EdnsUdpSize => Additionals.FirstOrDefault(r => r.Type == DnsType.Opt) is { } opt ? Math.Max(MinUdpSize, (int)opt.Class) : null;

    /// <summary>
    /// The answer to <paramref name="query"/> as Docker's resolver starts it (miekg/dns SetReply, RA set): same id,
    /// opcode, RD and CD, the first question only.
    /// </summary>
    public static DnsMessage ReplyTo(DnsMessage query, DnsRcode rcode = DnsRcode.NoError, IReadOnlyList<DnsRecord>? answers = null) => new()
    {
        Id = query.Id,
        IsResponse = true,
        Opcode = query.Opcode,
        RecursionDesired = query.RecursionDesired,
        RecursionAvailable = true,
        CheckingDisabled = query.CheckingDisabled,
        Rcode = rcode,
        Questions = query.Questions.Take(1).ToList(),
        Answers = answers ?? [],
    };
}
