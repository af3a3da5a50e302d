namespace Berth.Spdy;

/// <summary>
/// The dictionary SPDY/3 primes the zlib context of header blocks with (draft-mbelshe-httpbis-spdy-00, 2.6.10.1):
/// both directions start from it, so a peer's compressed headers refer back into it.
/// </summary>
internal static class HeaderDictionary
{
    /// <summary>adler32 of <see cref="Bytes"/>: the DICTID a zlib stream names its preset dictionary by.</summary>
    public const uint Adler32 = 0xe3c6a7c2;

    public static ReadOnlySpan<byte> Bytes =>
        "\u0000\u0000\u0000\u0007options\u0000\u0000\u0000\u0004head\u0000\u0000\u0000\u0004post\u0000\u0000"u8 +
        "\u0000\u0003put\u0000\u0000\u0000\u0006delete\u0000\u0000\u0000\u0005trace\u0000\u0000\u0000\u0006ac"u8 +
        "cept\u0000\u0000\u0000\u000eaccept-charset\u0000\u0000\u0000\u000faccept-encoding\u0000\u0000\u0000"u8 +
        "\u000faccept-language\u0000\u0000\u0000\u000daccept-ranges\u0000\u0000\u0000\u0003age\u0000\u0000"u8 +
        "\u0000\u0005allow\u0000\u0000\u0000\u000dauthorization\u0000\u0000\u0000\u000dcache-control\u0000"u8 +
        "\u0000\u0000\u000aconnection\u0000\u0000\u0000\u000ccontent-base\u0000\u0000\u0000\u0010content-enco"u8 +
        "ding\u0000\u0000\u0000\u0010content-language\u0000\u0000\u0000\u000econtent-length\u0000\u0000\u0000"u8 +
        "\u0010content-location\u0000\u0000\u0000\u000bcontent-md5\u0000\u0000\u0000\u000dcontent-range\u0000"u8 +
        "\u0000\u0000\u000ccontent-type\u0000\u0000\u0000\u0004date\u0000\u0000\u0000\u0004etag\u0000\u0000"u8 +
        "\u0000\u0006expect\u0000\u0000\u0000\u0007expires\u0000\u0000\u0000\u0004from\u0000\u0000\u0000"u8 +
        "\u0004host\u0000\u0000\u0000\u0008if-match\u0000\u0000\u0000\u0011if-modified-since\u0000\u0000"u8 +
        "\u0000\u000dif-none-match\u0000\u0000\u0000\u0008if-range\u0000\u0000\u0000\u0013if-unmodified-since"u8 +
        "\u0000\u0000\u0000\u000dlast-modified\u0000\u0000\u0000\u0008location\u0000\u0000\u0000\u000cmax-for"u8 +
        "wards\u0000\u0000\u0000\u0006pragma\u0000\u0000\u0000\u0012proxy-authenticate\u0000\u0000\u0000"u8 +
        "\u0013proxy-authorization\u0000\u0000\u0000\u0005range\u0000\u0000\u0000\u0007referer\u0000\u0000"u8 +
        "\u0000\u000bretry-after\u0000\u0000\u0000\u0006server\u0000\u0000\u0000\u0002te\u0000\u0000\u0000"u8 +
        "\u0007trailer\u0000\u0000\u0000\u0011transfer-encoding\u0000\u0000\u0000\u0007upgrade\u0000\u0000"u8 +
        "\u0000\u000auser-agent\u0000\u0000\u0000\u0004vary\u0000\u0000\u0000\u0003via\u0000\u0000\u0000"u8 +
        "\u0007warning\u0000\u0000\u0000\u0010www-authenticate\u0000\u0000\u0000\u0006method\u0000\u0000"u8 +
        "\u0000\u0003get\u0000\u0000\u0000\u0006status\u0000\u0000\u0000\u0006200 OK\u0000\u0000\u0000\u0007v"u8 +
        "ersion\u0000\u0000\u0000\u0008HTTP/1.1\u0000\u0000\u0000\u0003url\u0000\u0000\u0000\u0006public"u8 +
        "\u0000\u0000\u0000\u000aset-cookie\u0000\u0000\u0000\u000akeep-alive\u0000\u0000\u0000\u0006origin10"u8 +
        "0101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Auth"u8 +
        "oritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden"u8 +
        "404 Not Found500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May "u8 +
        "Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/"u8 +
        "png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,publicpriva"u8 +
        "temax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0."u8;
}
