using System.Text;
using Pacs.Dicom.Network.Pdu;

namespace Pacs.Dicom.Network.Tests.Pdu;

/// <summary>PDUs against byte layouts built by hand from the PS3.8 9.3 tables.</summary>
public class PduCodecTests
{
    [Fact]
    public void Reject_matches_table_9_21_layout()
    {
        var bytes = PduEncoder.Encode(new AAssociateRj(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded));
        Assert.Equal(new byte[] { 0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x03, 0x02 }, bytes);
        var decoded = Assert.IsType<AAssociateRj>(PduDecoder.Decode(bytes));
        Assert.Equal(RejectResult.Transient, decoded.Result);
        Assert.Equal(RejectSource.ServiceProviderPresentation, decoded.Source);
        Assert.Equal(RejectReasons.LocalLimitExceeded, decoded.Reason);
    }

    [Fact]
    public void Abort_release_rq_and_rp_match_tables_9_24_to_9_26()
    {
        Assert.Equal(new byte[] { 0x07, 0, 0, 0, 0, 4, 0, 0, 0x02, 0x06 }, PduEncoder.Encode(new AAbort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue)));
        Assert.Equal(new byte[] { 0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduEncoder.Encode(new AReleaseRq()));
        Assert.Equal(new byte[] { 0x06, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduEncoder.Encode(new AReleaseRp()));
        var abort = Assert.IsType<AAbort>(PduDecoder.Decode([0x07, 0, 0, 0, 0, 4, 0, 0, 0x02, 0x01]));
        Assert.Equal(AbortReason.UnrecognizedPdu, abort.Reason);
    }

    [Fact]
    public void PData_with_two_pdvs_decodes_control_headers()
    {
        byte[] bytes =
        [
            0x04, 0x00, 0x00, 0x00, 0x00, 0x0F,
            0x00, 0x00, 0x00, 0x04, 0x01, 0x03, 0xAA, 0xBB, // command, last
            0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0xCC, // dataset, not last
        ];
        var pdu = Assert.IsType<PDataTf>(PduDecoder.Decode(bytes));
        Assert.Equal(2, pdu.Values.Count);
        Assert.True(pdu.Values[0].IsCommand);
        Assert.True(pdu.Values[0].IsLastFragment);
        Assert.Equal(1, pdu.Values[0].PresentationContextId);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, pdu.Values[0].Data.ToArray());
        Assert.False(pdu.Values[1].IsCommand);
        Assert.False(pdu.Values[1].IsLastFragment);
        Assert.Equal(3, pdu.Values[1].PresentationContextId);
        Assert.Equal(bytes, PduEncoder.Encode(pdu));
    }

    [Fact]
    public void Hand_built_associate_rq_decodes()
    {
        var bytes = HandBuiltRequest();
        var rq = Assert.IsType<AAssociateRq>(PduDecoder.Decode(bytes));
        Assert.Equal("STORESCP", rq.CalledAETitle);
        Assert.Equal("ECHOSCU", rq.CallingAETitle);
        Assert.Equal(DicomNetworkConstants.ApplicationContextName, rq.ApplicationContextName);
        var pc = Assert.Single(rq.PresentationContexts);
        Assert.Equal(1, pc.Id);
        Assert.Equal("1.2.840.10008.1.1", pc.AbstractSyntax);
        Assert.Equal(["1.2.840.10008.1.2"], pc.TransferSyntaxes);
        Assert.Equal(16384u, rq.UserInformation.MaximumLength);
        Assert.Equal("1.2.3.4", rq.UserInformation.ImplementationClassUid);
        Assert.Equal("TEST_1", rq.UserInformation.ImplementationVersionName);

        // Re-encoding gives the same bytes: the encoder writes the layout of the tables too.
        Assert.Equal(bytes, PduEncoder.Encode(rq));
    }

    [Fact]
    public void All_user_information_sub_items_round_trip()
    {
        var rq = new AAssociateRq
        {
            CalledAETitle = "ARCHIVE",
            CallingAETitle = "MODALITY",
            PresentationContexts = [new PresentationContextProposal(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])],
            UserInformation = new UserInformation
            {
                MaximumLength = 32768,
                ImplementationClassUid = "1.2.3",
                ImplementationVersionName = "V1",
                AsyncOperationsWindow = new AsyncOperationsWindow(5, 0),
                RoleSelections = [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)],
                SopClassExtendedNegotiations = [new SopClassExtendedNegotiation("1.2.840.10008.5.1.4.1.2.2.1", new byte[] { 1, 0, 1 })],
                SopClassCommonExtendedNegotiations = [new SopClassCommonExtendedNegotiation("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.4.2", ["1.2.3.4", "1.2.3.5"])],
                UserIdentityRequest = new UserIdentityRequest(UserIdentityType.UsernameAndPasscode, true, Encoding.ASCII.GetBytes("alice"), Encoding.ASCII.GetBytes("secret")),
            },
        };
        var bytes = PduEncoder.Encode(rq);
        var back = Assert.IsType<AAssociateRq>(PduDecoder.Decode(bytes));
        var info = back.UserInformation;
        Assert.Equal(new AsyncOperationsWindow(5, 0), info.AsyncOperationsWindow);
        Assert.Equal(rq.UserInformation.RoleSelections, info.RoleSelections);
        Assert.Equal(new byte[] { 1, 0, 1 }, Assert.Single(info.SopClassExtendedNegotiations).ServiceClassApplicationInformation.ToArray());
        var common = Assert.Single(info.SopClassCommonExtendedNegotiations);
        Assert.Equal("1.2.840.10008.4.2", common.ServiceClassUid);
        Assert.Equal(["1.2.3.4", "1.2.3.5"], common.RelatedGeneralSopClassUids);
        Assert.Equal("alice", Encoding.ASCII.GetString(info.UserIdentityRequest!.PrimaryField.Span));
        Assert.Equal("secret", Encoding.ASCII.GetString(info.UserIdentityRequest.SecondaryField.Span));
        Assert.True(info.UserIdentityRequest.PositiveResponseRequested);

        // Role selection sub-item per PS3.7 Table D.3-9: 54 00 00 len, uid-length, uid, scu-role, scp-role.
        var uid = "1.2.840.10008.5.1.4.1.1.2"u8.ToArray();
        byte[] role = [0x54, 0x00, 0x00, (byte)(uid.Length + 4), 0x00, (byte)uid.Length, .. uid, 0x00, 0x01];
        Assert.True(bytes.AsSpan().IndexOf(role) > 0);

        var ac = new AAssociateAc
        {
            CalledAETitle = "ARCHIVE",
            CallingAETitle = "MODALITY",
            PresentationContexts = [new PresentationContextAnswer(3, PresentationContextResult.Acceptance, "1.2.840.10008.1.2.1")],
            UserInformation = new UserInformation { MaximumLength = 0, ImplementationClassUid = "1.2.3", UserIdentityResponse = new UserIdentityResponse(new byte[] { 9, 9 }) },
        };
        var acBack = Assert.IsType<AAssociateAc>(PduDecoder.Decode(PduEncoder.Encode(ac)));
        Assert.Equal(ac.PresentationContexts, acBack.PresentationContexts);
        Assert.Equal(new byte[] { 9, 9 }, acBack.UserInformation.UserIdentityResponse!.ServerResponse.ToArray());
    }

    [Fact]
    public void Unknown_pdu_type_is_unrecognized_pdu()
    {
        var e = Assert.Throws<DicomPduException>(() => PduDecoder.Decode([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]));
        Assert.Equal(AbortReason.UnrecognizedPdu, e.Reason);
    }

    [Fact]
    public void Malformed_pdus_throw_with_an_abort_reason_never_an_index_error()
    {
        var good = HandBuiltRequest();

        // Every truncation of a valid request, with the PDU length field fixed up, is rejected cleanly.
        for (var cut = 6; cut < good.Length; cut++)
        {
            var truncated = good[..cut];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(truncated.AsSpan(2), (uint)(cut - 6));
            Assert.Throws<DicomPduException>(() => PduDecoder.Decode(truncated));
        }

        // PDV item length larger than what is left in the PDU.
        Assert.Throws<DicomPduException>(() => PduDecoder.Decode([0x04, 0, 0, 0, 0, 7, 0, 0, 0, 9, 1, 3, 0]));

        // PDV item length below its 2 header bytes.
        Assert.Throws<DicomPduException>(() => PduDecoder.Decode([0x04, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3]));

        // Empty P-DATA-TF.
        Assert.Throws<DicomPduException>(() => PduDecoder.Decode([0x04, 0, 0, 0, 0, 0]));

        // A-RELEASE-RQ must be exactly 4 bytes.
        Assert.Throws<DicomPduException>(() => PduDecoder.Decode([0x05, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0]));

        // PDU length field disagreeing with the bytes present.
        Assert.Throws<DicomPduException>(() => PduDecoder.Decode([0x05, 0, 0, 0, 0, 9, 0, 0, 0, 0]));
    }

    [Fact]
    public void Even_presentation_context_id_and_duplicate_ids_are_invalid()
    {
        var even = HandBuiltRequest();
        var pcOffset = even.AsSpan().IndexOf((byte)0x20);
        even[pcOffset + 4] = 2;
        var e = Assert.Throws<DicomPduException>(() => PduDecoder.Decode(even));
        Assert.Equal(AbortReason.InvalidPduParameterValue, e.Reason);

        var rq = new AAssociateRq
        {
            CalledAETitle = "A",
            CallingAETitle = "B",
            PresentationContexts = [new(1, "1.2", ["1.2.840.10008.1.2"]), new(1, "1.3", ["1.2.840.10008.1.2"])],
            UserInformation = new UserInformation { MaximumLength = 1, ImplementationClassUid = "1.2" },
        };
        Assert.Throws<DicomPduException>(() => PduDecoder.Decode(PduEncoder.Encode(rq)));
    }

    [Fact]
    public void Unknown_user_information_sub_item_is_ignored_but_unknown_item_is_not()
    {
        var rq = HandBuiltRequest().ToList();

        // Append an unknown sub-item 0x5F (4 bytes of content) at the end of the user information item.
        var userInfo = rq.LastIndexOf(0x50);
        var extra = new byte[] { 0x5F, 0x00, 0x00, 0x02, 0xAB, 0xCD };
        rq.AddRange(extra);
        var arr = rq.ToArray();
        var uiLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(arr.AsSpan(userInfo + 2));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(arr.AsSpan(userInfo + 2), (ushort)(uiLength + extra.Length));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(arr.AsSpan(2), (uint)(arr.Length - 6));
        Assert.IsType<AAssociateRq>(PduDecoder.Decode(arr));

        // The same bytes as a top-level item (outside user information) are an unrecognized parameter.
        var top = HandBuiltRequest().Concat(extra).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(top.AsSpan(2), (uint)(top.Length - 6));
        var e = Assert.Throws<DicomPduException>(() => PduDecoder.Decode(top));
        Assert.Equal(AbortReason.UnrecognizedPduParameter, e.Reason);
    }

    /// <summary>An A-ASSOCIATE-RQ laid out by hand from PS3.8 Tables 9-11 to 9-16 and PS3.7 D.3.3.</summary>
    internal static byte[] HandBuiltRequest()
    {
        var body = new List<byte>();
        body.AddRange([0x00, 0x01, 0x00, 0x00]); // protocol version 1, reserved
        body.AddRange(Encoding.ASCII.GetBytes("STORESCP        "));
        body.AddRange(Encoding.ASCII.GetBytes("ECHOSCU         "));
        body.AddRange(new byte[32]);
        Item(body, 0x10, Encoding.ASCII.GetBytes("1.2.840.10008.3.1.1.1"));
        var pc = new List<byte> { 0x01, 0x00, 0x00, 0x00 };
        Item(pc, 0x30, Encoding.ASCII.GetBytes("1.2.840.10008.1.1"));
        Item(pc, 0x40, Encoding.ASCII.GetBytes("1.2.840.10008.1.2"));
        Item(body, 0x20, [.. pc]);
        var ui = new List<byte>();
        Item(ui, 0x51, [0x00, 0x00, 0x40, 0x00]);
        Item(ui, 0x52, Encoding.ASCII.GetBytes("1.2.3.4"));
        Item(ui, 0x55, Encoding.ASCII.GetBytes("TEST_1"));
        Item(body, 0x50, [.. ui]);
        var length = body.Count;
        return [0x01, 0x00, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. body];
    }

    private static void Item(List<byte> target, byte type, byte[] content)
    {
        target.AddRange([type, 0x00, (byte)(content.Length >> 8), (byte)content.Length]);
        target.AddRange(content);
    }
}
