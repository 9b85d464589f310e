using Pacs.Dicom.Network.Dimse;

namespace Pacs.Dicom.Network.Tests.Dimse;

public class DicomCommandTests
{
    [Fact]
    public void CEcho_request_matches_ps3_7_implicit_le_layout()
    {
        var bytes = DicomCommand.CEcho(7).Encode();
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, // (0000,0000) UL 56
            0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00, .. "1.2.840.10008.1.1"u8, 0x00, // (0000,0002) UI, NUL padded
            0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00, // (0000,0100) US 0x0030
            0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00, // (0000,0110) US 7
            0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01, // (0000,0800) US 0x0101
        ];
        Assert.Equal(expected, bytes);
        var back = DicomCommand.Decode(bytes);
        Assert.Equal(DicomCommandField.CEchoRequest, back.CommandField);
        Assert.Equal(7, back.MessageID);
        Assert.False(back.HasDataSet);
        Assert.Equal("1.2.840.10008.1.1", back.AffectedSOPClassUID);
    }

    [Fact]
    public void Store_request_and_response_carry_the_instance()
    {
        var rq = DicomCommand.CStore(3, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", DicomPriority.High, "MOVER", 9);
        var back = DicomCommand.Decode(rq.Encode());
        Assert.True(back.HasDataSet);
        Assert.Equal("1.2.3.4.5", back.AffectedSOPInstanceUID);
        Assert.Equal(DicomPriority.High, back.Priority);
        Assert.Equal("MOVER", back.MoveOriginatorApplicationEntityTitle);
        Assert.Equal((ushort)9, back.MoveOriginatorMessageID);

        var rsp = DicomCommand.Decode(DicomCommand.Response(back, DicomStatus.OutOfResources).Encode());
        Assert.Equal(DicomCommandField.CStoreResponse, rsp.CommandField);
        Assert.Equal(3, rsp.MessageIDBeingRespondedTo);
        Assert.Equal(0xA700, rsp.Status.Code);
        Assert.Equal(DicomStatusKind.Failure, rsp.Status.Kind);
        Assert.Equal("1.2.3.4.5", rsp.AffectedSOPInstanceUID);
        Assert.False(rsp.HasDataSet);
    }

    [Fact]
    public void N_services_use_requested_uids_and_move_counters_round_trip()
    {
        var nget = DicomCommand.Decode(DicomCommand.Request(DicomCommandField.NGetRequest, 1, "1.2.840.10008.5.1.1.1", false, "1.2.9").Encode());
        Assert.Equal("1.2.840.10008.5.1.1.1", nget.RequestedSOPClassUID);
        Assert.Equal("1.2.9", nget.RequestedSOPInstanceUID);
        Assert.Null(nget.AffectedSOPClassUID);

        var move = DicomCommand.CMove(2, "1.2.840.10008.5.1.4.1.2.2.2", "DEST");
        var rsp = DicomCommand.Response(move, DicomStatus.Pending);
        rsp.NumberOfRemainingSuboperations = 4;
        rsp.NumberOfCompletedSuboperations = 1;
        rsp.NumberOfFailedSuboperations = 0;
        rsp.NumberOfWarningSuboperations = 0;
        rsp.OffendingElements = [new DicomTag(0x0010, 0x0010)];
        var back = DicomCommand.Decode(rsp.Encode());
        Assert.Equal((ushort)4, back.NumberOfRemainingSuboperations);
        Assert.Equal((ushort)1, back.NumberOfCompletedSuboperations);
        Assert.True(back.Status.IsPending);
        Assert.Equal([new DicomTag(0x0010, 0x0010)], back.OffendingElements);
        Assert.Equal(2, DicomCommand.Decode(DicomCommand.CCancel(2).Encode()).MessageIDBeingRespondedTo);
    }

    [Fact]
    public void Malformed_command_sets_are_rejected()
    {
        // Element outside group 0000.
        Assert.Throws<DicomException>(() => DicomCommand.Decode([0x08, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00]));

        // US with a length other than 2.
        Assert.Throws<DicomException>(() => DicomCommand.Decode([0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00]));

        // Length past the end.
        Assert.Throws<DicomException>(() => DicomCommand.Decode([0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x00, 0x00, 0x30, 0x00]));

        // No Command Field.
        Assert.Throws<DicomException>(() => DicomCommand.Decode([0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00]));
    }
}
