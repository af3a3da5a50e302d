using System.Buffers;
using System.Buffers.Binary;

namespace Berth.Linux.Netlink;

/// <summary>Called for each reply message of a request: its type and its payload after the netlink header.</summary>
public delegate void NetlinkReplyHandler(ushort type, ReadOnlySpan<byte> payload);

public sealed partial class NetlinkSocket
{
    /// <summary>NLM_F_* request flags.</summary>
    public const ushort Request = 0x1, Ack = 0x4, Dump = 0x300, Replace = 0x100, Exclusive = 0x200, Create = 0x400;

    private const ushort MessageError = 2, MessageDone = 3, FlagAckTlvs = 0x200;
    private const ushort ErrorAttributeMessage = 1;
    private uint _sequence;

    /// <summary>
    /// Sends <paramref name="message"/> (its NLM_F_REQUEST and NLM_F_ACK flags are added) and reads the replies up to
    /// the kernel's acknowledgement, or to the end of a dump. Every reply before that goes to <paramref name="onReply"/>.
    /// A negative acknowledgement throws a <see cref="LinuxException"/> naming <paramref name="call"/> and
    /// <paramref name="target"/>, with the kernel's own explanation when it gave one. Not thread-safe: one exchange at a time.
    /// </summary>
    public void Exchange(Span<byte> message, string call, string? target, NetlinkReplyHandler? onReply = null)
    {
        var sequence = ++_sequence;
        var flags = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message[6..]) | Request | Ack);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], sequence);
        Send(message, call, target);

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var received = Receive(buffer, call, target);
                if (Dispatch(buffer.AsSpan(0, received), sequence, call, target, onReply)) return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handles the messages of one datagram; true once the exchange is over.</summary>
    private static bool Dispatch(ReadOnlySpan<byte> datagram, uint sequence, string call, string? target, NetlinkReplyHandler? onReply)
    {
        while (datagram.Length >= NetlinkMessageWriter.HeaderSize)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < NetlinkMessageWriter.HeaderSize || length > datagram.Length) break;
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(datagram[6..]);
            var replySequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
            var payload = datagram[NetlinkMessageWriter.HeaderSize..length];
            datagram = datagram[Math.Min((length + 3) & ~3, datagram.Length)..];
            if (replySequence != sequence) continue; // a late reply to an earlier, abandoned exchange
            if (type == MessageDone) return true;
            if (type == MessageError)
            {
                var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
                if (error == 0) return true;
                throw new LinuxException(call, WithKernelMessage(target, payload, flags), -error);
            }
            onReply?.Invoke(type, payload);
        }
        return false;
    }

    /// <summary>Appends the extended ack's text (NLMSGERR_ATTR_MSG), e.g. "Invalid MTU", to the target's name.</summary>
    private static string? WithKernelMessage(string? target, ReadOnlySpan<byte> errorPayload, ushort flags)
    {
        // int error, then the request's own header only (NETLINK_CAP_ACK), then the TLVs.
        const int TlvOffset = 4 + NetlinkMessageWriter.HeaderSize;
        if ((flags & FlagAckTlvs) == 0 || errorPayload.Length <= TlvOffset) return target;
        foreach (var attribute in new NetlinkAttributes(errorPayload[TlvOffset..]))
        {
            if (attribute.Type != ErrorAttributeMessage) continue;
            var text = NetlinkAttributes.String(attribute.Value);
            return target is null ? $"({text})" : $"{target} ({text})";
        }
        return target;
    }
}
