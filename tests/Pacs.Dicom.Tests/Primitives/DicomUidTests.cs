using System.Numerics;

namespace Pacs.Dicom.Tests.Primitives;

public class DicomUidTests
{
    [Fact]
    public void Generated_uids_are_valid_unique_and_under_2_25()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var uid = DicomUid.Generate();
            Assert.StartsWith("2.25.", uid, StringComparison.Ordinal);
            Assert.True(DicomUid.IsValid(uid), uid);
            Assert.True(BigInteger.Parse(uid[5..], System.Globalization.CultureInfo.InvariantCulture) < BigInteger.Pow(2, 128));
            Assert.True(seen.Add(uid));
        }
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("2.25.0", true)]
    [InlineData("1.2.840.10008.1.02", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.", false)]
    [InlineData(".1.2", false)]
    [InlineData("1.2.a", false)]
    [InlineData("", false)]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26", false)]
    public void IsValid_follows_PS3_5_section_9_1(string uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));

    [Fact]
    public void VR_info_matches_the_encoding_rules()
    {
        Assert.Equal(34, DicomVRInfo.All.Count);
        Assert.True(DicomVRInfo.Get(DicomVR.UC).Has32BitLength);
        Assert.False(DicomVRInfo.Get(DicomVR.UI).Has32BitLength);
        Assert.Equal(0, DicomVRInfo.Get(DicomVR.UI).PaddingByte);
        Assert.Equal(0x20, DicomVRInfo.Get(DicomVR.PN).PaddingByte);
        Assert.True(DicomVRInfo.Get(DicomVR.PN).IsCharacterSetDependent);
        Assert.False(DicomVRInfo.Get(DicomVR.LT).IsMultiValuedString);
        Assert.Equal(8, DicomVRInfo.Get(DicomVR.SV).UnitSize);
        Assert.True(DicomVRInfo.TryParse((byte)'O', (byte)'W', out var ow) && ow == DicomVR.OW);
        Assert.False(DicomVRInfo.TryParse((byte)' ', (byte)' ', out _));
        Assert.False(DicomVRInfo.TryParse((byte)'Q', (byte)'Q', out _));
        Assert.Equal("FD", DicomVRInfo.ToString(DicomVR.FD));
    }
}
