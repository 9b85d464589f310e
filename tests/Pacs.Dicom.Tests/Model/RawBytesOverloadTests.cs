namespace Pacs.Dicom.Tests.Model;

public class RawBytesOverloadTests
{
    [Fact]
    public void A_byte_array_is_stored_as_the_raw_value_for_any_VR()
    {
        var raw = new byte[] { 0x01, 0x02, 0x03, 0x04 };
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.RedPaletteColorLookupTableData, DicomVR.OW, raw);
        ds.Add(DicomTag.PatientComments, DicomVR.LT, "ABCD"u8.ToArray());

        Assert.True(ds.TryGetElement(DicomTag.RedPaletteColorLookupTableData, out var ow));
        Assert.Equal(raw, ow.Value.ToArray());
        Assert.Equal([(ushort)0x0201, (ushort)0x0403], ds.GetValues<ushort>(DicomTag.RedPaletteColorLookupTableData));
        Assert.Equal("ABCD", ds.GetString(DicomTag.PatientComments));
    }
}
