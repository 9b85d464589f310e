namespace Pacs.Dicom.Tests.Primitives;

public class DicomTagTests
{
    [Theory]
    [InlineData("00100010")]
    [InlineData("(0010,0010)")]
    [InlineData("0010,0010")]
    [InlineData("PatientName")]
    public void TryParse_accepts_hex_parenthesised_and_keyword_forms(string text)
    {
        Assert.True(DicomTag.TryParse(text, out var tag));
        Assert.Equal(DicomTag.PatientName, tag);
        Assert.Equal("(0010,0010)", tag.ToString());
        Assert.Equal("00100010", tag.ToHex());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0010001")]
    [InlineData("(0010;0010)")]
    [InlineData("NoSuchKeyword")]
    [InlineData("zz100010")]
    public void TryParse_rejects_garbage(string text) => Assert.False(DicomTag.TryParse(text, out _));

    [Fact]
    public void Private_tags_know_their_creator_slot()
    {
        var tag = new DicomTag(0x0029, 0x1017);
        Assert.True(tag.IsPrivate);
        Assert.False(tag.IsPrivateCreator);
        Assert.Equal(new DicomTag(0x0029, 0x0010), tag.PrivateCreatorTag);
        Assert.True(new DicomTag(0x0029, 0x0010).IsPrivateCreator);
        Assert.False(DicomTag.PatientID.IsPrivate);
    }

    [Fact]
    public void Tags_order_by_group_then_element()
    {
        var tags = new[] { DicomTag.PixelData, DicomTag.PatientName, new DicomTag(0x0008, 0xFFFF), DicomTag.SOPInstanceUID };
        Array.Sort(tags);
        Assert.Equal([DicomTag.SOPInstanceUID, new DicomTag(0x0008, 0xFFFF), DicomTag.PatientName, DicomTag.PixelData], tags);
    }
}
