using Pacs.Dicom.IO;

namespace Pacs.Dicom.Tests.Model;

public class DatasetModelTests
{
    private static string Pydicom(string expression, string file)
    {
        var (code, stdout, stderr) = TestData.Run("/usr/bin/python3", "-c",
            "import sys,pydicom; ds=pydicom.dcmread(sys.argv[1], force=True); print(" + expression + ")", TestData.Sample(file));
        Assert.True(code == 0, stderr);
        return stdout.TrimEnd('\n');
    }

    [Theory]
    [InlineData("pyd_chrSQEncoding.dcm")]
    [InlineData("pyd_chrSQEncoding1.dcm")]
    public async Task Sequence_items_inherit_or_override_the_character_set(string file)
    {
        var ds = (await DicomFile.OpenAsync(TestData.Sample(file))).Dataset;
        var item = ds.GetSequence(DicomTag.Parse("RequestedProcedureCodeSequence"))[0];
        Assert.Same(ds, item.Parent);
        var expected = Pydicom("str(ds.RequestedProcedureCodeSequence[0].PatientName)", file);
        Assert.Equal(expected, item.GetString(DicomTag.PatientName));
    }

    [Fact]
    public async Task Typed_values_match_pydicom()
    {
        const string file = "pyd_CT_small.dcm";
        var ds = (await DicomFile.OpenAsync(TestData.Sample(file))).Dataset;
        Assert.Equal(Pydicom("ds.Rows", file), ds.GetValue<int>(DicomTag.Rows).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Pydicom("'%.6f' % ds.SliceLocation", file), ds.GetValue<double>(DicomTag.SliceLocation).ToString("F6", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Pydicom("ds.StudyDate", file), DicomValueFormatter.FormatDate(ds.GetDate(DicomTag.StudyDate)));
        Assert.Equal(Pydicom("ds.PatientName.family_name", file), ds.GetPersonName(DicomTag.PatientName).Alphabetic.FamilyName);
        Assert.Equal(Pydicom("'|'.join(str(v) for v in ds.ImagePositionPatient)", file), string.Join('|', ds.GetStrings(DicomTag.ImagePositionPatient)));
        Assert.Equal(Pydicom("len(ds.ImageOrientationPatient)", file), ds.GetValues<decimal>(DicomTag.ImageOrientationPatient).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Throws<DicomException>(() => ds.GetValue<int>(DicomTag.PatientName));
        Assert.Throws<DicomException>(() => ds.GetString(DicomTag.Parse("00990099")));
    }

    [Fact]
    public async Task Private_tags_resolve_through_their_creator()
    {
        const string file = "pydd_MR-SIEMENS-DICOM-WithOverlays.dcm";
        var ds = (await DicomFile.OpenAsync(TestData.Sample(file))).Dataset;
        var expected = Pydicom("'%08X' % ds.private_block(0x0029, 'SIEMENS MEDCOM OOG').get_tag(0x10)", file);
        Assert.Equal(expected, ds.GetPrivateTag(0x0029, "SIEMENS MEDCOM OOG", 0x10, reserve: false).ToHex());
        Assert.Throws<DicomException>(() => ds.GetPrivateTag(0x0029, "NOBODY", 0x10, reserve: false));

        var reserved = ds.GetPrivateTag(0x0029, "PACS TEST", 0x01, reserve: true);
        ds.Add(reserved, DicomVR.LO, "hello");
        Assert.Equal("PACS TEST", ds.GetPrivateCreator(reserved));
        Assert.Equal(reserved, ds.GetPrivateTag(0x0029, "PACS TEST", 0x01, reserve: false));
    }

    [Fact]
    public void Add_update_remove_clone_and_write_read_back()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        ds.Add(DicomTag.PatientName, new DicomPersonName("Müller", "Jürgen"));
        ds.Add(DicomTag.Rows, (ushort)512);
        ds.Add(DicomTag.StudyDate, new DateOnly(2021, 5, 4));
        ds.Add(DicomTag.SliceThickness, 2.5);
        ds.Add(DicomTag.NumberOfFrames, 3);
        ds.Add(DicomTag.FrameIncrementPointer, DicomTag.FrameTime);
        ds.AddOrUpdate(DicomTag.Parse("ReferencedImageSequence"), new DicomDataset().AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, "1.2.3"));
        Assert.Throws<DicomException>(() => ds.Add(DicomTag.Rows, (ushort)1));
        ds.AddOrUpdate(DicomTag.Rows, (ushort)256);
        var clone = ds.Clone();
        Assert.True(ds.Remove(DicomTag.SliceThickness));
        Assert.False(ds.Contains(DicomTag.SliceThickness));
        Assert.True(clone.Contains(DicomTag.SliceThickness));
        Assert.Equal(ds.Select(i => i.Tag).Order(), ds.Select(i => i.Tag));

        var bytes = DicomDatasetWriter.ToBytes(clone, DicomTransferSyntax.ExplicitVRBigEndian);
        var back = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ExplicitVRBigEndian);
        Assert.Equal("Müller^Jürgen", back.GetString(DicomTag.PatientName));
        Assert.Equal(256, back.GetValue<ushort>(DicomTag.Rows));
        Assert.Equal(new DateOnly(2021, 5, 4), back.GetDate(DicomTag.StudyDate));
        Assert.Equal(2.5m, back.GetValue<decimal>(DicomTag.SliceThickness));
        Assert.Equal(3, back.GetValue<int>(DicomTag.NumberOfFrames));
        Assert.Equal(DicomTag.FrameTime, back.GetValue<DicomTag>(DicomTag.FrameIncrementPointer));
        Assert.Equal("1.2.3", back.GetSequence(DicomTag.Parse("ReferencedImageSequence"))[0].GetString(DicomTag.ReferencedSOPInstanceUID));
    }

    [Fact]
    public void Command_group_length_is_recalculated_and_dcmtk_reads_the_file()
    {
        var command = new DicomDataset();
        command.Add(DicomTag.CommandGroupLength, 0u);
        command.Add(DicomTag.AffectedSOPClassUID, DicomUid.Verification.Value);
        command.Add(DicomTag.CommandField, (ushort)0x0030);
        var bytes = DicomDatasetWriter.ToBytes(command, DicomTransferSyntax.ImplicitVRLittleEndian);
        var back = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal((uint)(bytes.Length - 12), back.GetValue<uint>(DicomTag.CommandGroupLength));
    }

    [Fact]
    public async Task Created_files_are_read_by_dcmdump()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTag.SOPClassUID, DicomUid.CTImageStorage.Value);
        ds.Add(DicomTag.SOPInstanceUID, DicomUid.Generate());
        ds.Add(DicomTag.PatientID, "PACS-1");
        var path = Path.Combine(Path.GetTempPath(), $"pacs-create-{Guid.NewGuid():N}.dcm");
        try
        {
            await DicomFile.Create(ds, DicomTransferSyntax.DeflatedExplicitVRLittleEndian).SaveAsync(path);
            var (code, stdout, stderr) = TestData.Run("dcmdump", path);
            Assert.True(code == 0, stderr);
            Assert.Contains("[PACS-1]", stdout, StringComparison.Ordinal);
            Assert.Contains(DicomImplementation.ClassUid, stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
