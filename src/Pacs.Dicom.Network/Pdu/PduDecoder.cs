using System.Buffers.Binary;

namespace Pacs.Dicom.Network.Pdu;

/// <summary>
/// Decodes a PDU body (the bytes after the 6-byte header) of a known type. Every violation of PS3.8 9.3 is a
/// <see cref="DicomPduException"/> carrying the A-ABORT reason to answer with.
/// </summary>
public static class PduDecoder
{
    /// <summary>The size of every PDU header: type, reserved, 4-byte length.</summary>
    public const int HeaderLength = 6;

    /// <summary>Reads a PDU header; an unknown type is an unrecognized PDU (PS3.8 9.3.1).</summary>
    public static (PduType Type, uint Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        var type = header[0];
        if (type is < 1 or > 7)
        {
            throw new DicomPduException(AbortReason.UnrecognizedPdu, $"Unrecognized PDU type 0x{type:X2}.");
        }

        return ((PduType)type, BinaryPrimitives.ReadUInt32BigEndian(header[2..]));
    }

    /// <summary>Decodes a whole PDU, header included.</summary>
    public static DicomPdu Decode(ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length < HeaderLength)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, "A PDU is shorter than its 6-byte header.");
        }

        var (type, length) = ReadHeader(pdu);
        if (length != pdu.Length - HeaderLength)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDU length field {length} does not match the {pdu.Length - HeaderLength} bytes that follow.");
        }

        return Decode(type, pdu[HeaderLength..]);
    }

    public static DicomPdu Decode(PduType type, ReadOnlySpan<byte> body) => type switch
    {
        PduType.AssociateRequest => DecodeRequest(body),
        PduType.AssociateAccept => DecodeAccept(body),
        PduType.AssociateReject => DecodeReject(body),
        PduType.DataTransfer => new PDataTf(DecodeData(body)),
        PduType.ReleaseRequest => CheckFourBytes(body, type) ?? new AReleaseRq(),
        PduType.ReleaseResponse => CheckFourBytes(body, type) ?? new AReleaseRp(),
        PduType.Abort => DecodeAbort(body),
        _ => throw new DicomPduException(AbortReason.UnrecognizedPdu, $"Unrecognized PDU type 0x{(byte)type:X2}."),
    };

    /// <summary>The PDVs of a P-DATA-TF body, copied out (tests and diagnostics; the association reads them in place).</summary>
    public static List<PresentationDataValue> DecodeData(ReadOnlySpan<byte> body)
    {
        var values = new List<PresentationDataValue>(1);
        foreach (var (id, header, offset, length) in EnumeratePdvs(body))
        {
            values.Add(new PresentationDataValue(id, (header & 1) != 0, (header & 2) != 0, body.Slice(offset, length).ToArray()));
        }

        return values;
    }

    /// <summary>
    /// The PDVs of a P-DATA-TF body as (context id, control header, data offset, data length), without copying.
    /// A P-DATA-TF must hold at least one PDV, and each PDV at least its 2 header bytes (PS3.8 9.3.5.1).
    /// </summary>
    public static List<(byte Id, byte ControlHeader, int Offset, int Length)> EnumeratePdvs(ReadOnlySpan<byte> body)
    {
        var result = new List<(byte, byte, int, int)>(1);
        var r = new PduReader(body);
        while (!r.AtEnd)
        {
            var length = r.UInt32();
            if (length < 2 || length > r.Remaining)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDV item length {length} is invalid ({r.Remaining} bytes left in the P-DATA-TF).");
            }

            var id = r.Byte();
            var header = r.Byte();
            if ((header & 0xFC) != 0)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"PDV message control header 0x{header:X2} has reserved bits set.");
            }

            result.Add((id, header, r.Position, (int)length - 2));
            r.Skip((int)length - 2);
        }

        if (result.Count == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, "A P-DATA-TF holds no PDV.");
        }

        return result;
    }

    /// <summary>A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT have a fixed 4-byte body; returns null when it is.</summary>
    private static DicomPdu? CheckFourBytes(ReadOnlySpan<byte> body, PduType type)
    {
        if (body.Length != 4)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"A {type} PDU must be 4 bytes long, not {body.Length}.");
        }

        return null;
    }

    private static AAssociateRj DecodeReject(ReadOnlySpan<byte> body)
    {
        CheckFourBytes(body, PduType.AssociateReject);
        var result = body[1];
        var source = body[2];
        if (result is < 1 or > 2 || source is < 1 or > 3)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"A-ASSOCIATE-RJ result {result} / source {source} out of range.");
        }

        return new AAssociateRj((RejectResult)result, (RejectSource)source, body[3]);
    }

    private static AAbort DecodeAbort(ReadOnlySpan<byte> body)
    {
        CheckFourBytes(body, PduType.Abort);

        // Unknown source/reason values are kept as received: the peer is going away whatever they say.
        return new AAbort((AbortSource)body[2], (AbortReason)body[3]);
    }

    private static AAssociateRq DecodeRequest(ReadOnlySpan<byte> body)
    {
        var r = new PduReader(body);
        var (version, called, calling) = ReadFixedFields(ref r);
        string? applicationContext = null;
        UserInformation? userInformation = null;
        var contexts = new List<PresentationContextProposal>();
        var ids = new HashSet<byte>();
        while (!r.AtEnd)
        {
            var item = r.Item(out var type);
            switch (type)
            {
                case PduItemType.ApplicationContext when applicationContext is null:
                    applicationContext = PduReader.Uid(item);
                    break;
                case PduItemType.PresentationContextRequest:
                    var pc = DecodeProposal(item);
                    if (!ids.Add(pc.Id))
                    {
                        throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Presentation context ID {pc.Id} is proposed twice.");
                    }

                    contexts.Add(pc);
                    break;
                case PduItemType.UserInformation when userInformation is null:
                    userInformation = DecodeUserInformation(item);
                    break;
                case PduItemType.ApplicationContext or PduItemType.UserInformation:
                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"Item 0x{type:X2} appears twice in an A-ASSOCIATE-RQ.");
                default:
                    throw new DicomPduException(AbortReason.UnrecognizedPduParameter, $"Unexpected item 0x{type:X2} in an A-ASSOCIATE-RQ.");
            }
        }

        if (applicationContext is null || userInformation is null || contexts.Count == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, "An A-ASSOCIATE-RQ needs an application context, at least one presentation context and user information.");
        }

        return new AAssociateRq
        {
            ProtocolVersion = version,
            CalledAETitle = called,
            CallingAETitle = calling,
            ApplicationContextName = applicationContext,
            PresentationContexts = contexts,
            UserInformation = userInformation,
        };
    }

    private static AAssociateAc DecodeAccept(ReadOnlySpan<byte> body)
    {
        var r = new PduReader(body);
        var (version, called, calling) = ReadFixedFields(ref r);
        string? applicationContext = null;
        UserInformation? userInformation = null;
        var contexts = new List<PresentationContextAnswer>();
        while (!r.AtEnd)
        {
            var item = r.Item(out var type);
            switch (type)
            {
                case PduItemType.ApplicationContext when applicationContext is null:
                    applicationContext = PduReader.Uid(item);
                    break;
                case PduItemType.PresentationContextAccept:
                    contexts.Add(DecodeAnswer(item));
                    break;
                case PduItemType.UserInformation when userInformation is null:
                    userInformation = DecodeUserInformation(item);
                    break;
                case PduItemType.ApplicationContext or PduItemType.UserInformation:
                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"Item 0x{type:X2} appears twice in an A-ASSOCIATE-AC.");
                default:
                    throw new DicomPduException(AbortReason.UnrecognizedPduParameter, $"Unexpected item 0x{type:X2} in an A-ASSOCIATE-AC.");
            }
        }

        if (applicationContext is null || userInformation is null)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, "An A-ASSOCIATE-AC needs an application context and user information.");
        }

        return new AAssociateAc
        {
            ProtocolVersion = version,
            CalledAETitle = called,
            CallingAETitle = calling,
            ApplicationContextName = applicationContext,
            PresentationContexts = contexts,
            UserInformation = userInformation,
        };
    }

    private static (ushort Version, string Called, string Calling) ReadFixedFields(ref PduReader r)
    {
        var version = r.UInt16();
        r.Skip(2);
        var called = PduReader.Ascii(r.Take(16)).Trim(' ', '\0');
        var calling = PduReader.Ascii(r.Take(16)).Trim(' ', '\0');
        r.Skip(32);
        return (version, called, calling);
    }

    private static PresentationContextProposal DecodeProposal(ReadOnlySpan<byte> item)
    {
        var r = new PduReader(item);
        var id = r.Byte();
        r.Skip(3);
        if (id % 2 == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Presentation context ID {id} is not odd.");
        }

        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        while (!r.AtEnd)
        {
            var sub = r.Item(out var type);
            switch (type)
            {
                case PduItemType.AbstractSyntax when abstractSyntax is null:
                    abstractSyntax = PduReader.Uid(sub);
                    break;
                case PduItemType.TransferSyntax:
                    transferSyntaxes.Add(PduReader.Uid(sub));
                    break;
                default:
                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"Unexpected sub-item 0x{type:X2} in presentation context {id}.");
            }
        }

        if (abstractSyntax is null || transferSyntaxes.Count == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Presentation context {id} needs one abstract syntax and at least one transfer syntax.");
        }

        return new PresentationContextProposal(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextAnswer DecodeAnswer(ReadOnlySpan<byte> item)
    {
        var r = new PduReader(item);
        var id = r.Byte();
        r.Skip(1);
        var result = r.Byte();
        r.Skip(1);
        if (result > 4)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Presentation context {id} has result {result}.");
        }

        var transferSyntax = string.Empty;
        while (!r.AtEnd)
        {
            var sub = r.Item(out var type);
            if (type != PduItemType.TransferSyntax)
            {
                throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"Unexpected sub-item 0x{type:X2} in presentation context answer {id}.");
            }

            // A rejected context may carry an empty or meaningless transfer syntax (PS3.8 9.3.3.2.1).
            transferSyntax = sub.Length == 0 || result != 0 ? PduReader.Ascii(sub).TrimEnd('\0', ' ') : PduReader.Uid(sub);
        }

        if (result == 0 && transferSyntax.Length == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"Accepted presentation context {id} has no transfer syntax.");
        }

        return new PresentationContextAnswer(id, (PresentationContextResult)result, transferSyntax);
    }

    private static UserInformation DecodeUserInformation(ReadOnlySpan<byte> item)
    {
        var r = new PduReader(item);
        uint maximumLength = 0;
        var implementationClassUid = string.Empty;
        string? implementationVersionName = null;
        AsyncOperationsWindow? window = null;
        var roles = new List<RoleSelection>();
        var extended = new List<SopClassExtendedNegotiation>();
        var common = new List<SopClassCommonExtendedNegotiation>();
        UserIdentityRequest? identityRequest = null;
        UserIdentityResponse? identityResponse = null;
        while (!r.AtEnd)
        {
            var sub = r.Item(out var type);
            var s = new PduReader(sub);
            switch (type)
            {
                case PduItemType.MaximumLength:
                    maximumLength = s.UInt32();
                    break;
                case PduItemType.ImplementationClassUid:
                    implementationClassUid = PduReader.Uid(s.Take(s.Remaining));
                    break;
                case PduItemType.ImplementationVersionName:
                    implementationVersionName = PduReader.Ascii(s.Take(s.Remaining)).TrimEnd('\0', ' ');
                    if (implementationVersionName.Length > 16)
                    {
                        throw new DicomPduException(AbortReason.InvalidPduParameterValue, "Implementation version name is longer than 16 characters.");
                    }

                    break;
                case PduItemType.AsyncOperationsWindow:
                    window = new AsyncOperationsWindow(s.UInt16(), s.UInt16());
                    break;
                case PduItemType.RoleSelection:
                    roles.Add(new RoleSelection(s.ShortUid(), s.Byte() == 1, s.Byte() == 1));
                    break;
                case PduItemType.SopClassExtendedNegotiation:
                    var uid = s.ShortUid();
                    extended.Add(new SopClassExtendedNegotiation(uid, s.Take(s.Remaining).ToArray()));
                    break;
                case PduItemType.SopClassCommonExtendedNegotiation:
                    common.Add(DecodeCommonExtended(ref s));
                    break;
                case PduItemType.UserIdentityRequest:
                    var identityType = s.Byte();
                    var positive = s.Byte() == 1;
                    var primary = s.ShortBytes().ToArray();
                    var secondary = s.ShortBytes().ToArray();
                    identityRequest = new UserIdentityRequest((UserIdentityType)identityType, positive, primary, secondary);
                    break;
                case PduItemType.UserIdentityResponse:
                    identityResponse = new UserIdentityResponse(s.ShortBytes().ToArray());
                    break;
                default:
                    // PS3.7 D.3.3: sub-items a receiver does not know are ignored, so newer peers still associate.
                    continue;
            }

            if (!s.AtEnd)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"User information sub-item 0x{type:X2} has {s.Remaining} bytes past its fields.");
            }
        }

        return new UserInformation
        {
            MaximumLength = maximumLength,
            ImplementationClassUid = implementationClassUid,
            ImplementationVersionName = implementationVersionName,
            AsyncOperationsWindow = window,
            RoleSelections = roles,
            SopClassExtendedNegotiations = extended,
            SopClassCommonExtendedNegotiations = common,
            UserIdentityRequest = identityRequest,
            UserIdentityResponse = identityResponse,
        };
    }

    private static SopClassCommonExtendedNegotiation DecodeCommonExtended(ref PduReader s)
    {
        var sopClass = s.ShortUid();
        var serviceClass = s.ShortUid();
        var related = new PduReader(s.ShortBytes());
        var uids = new List<string>();
        while (!related.AtEnd)
        {
            uids.Add(related.ShortUid());
        }

        return new SopClassCommonExtendedNegotiation(sopClass, serviceClass, uids);
    }
}
