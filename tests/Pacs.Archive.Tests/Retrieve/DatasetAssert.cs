using Pacs.Dicom;

namespace Pacs.Archive.Tests.Retrieve;

/// <summary>Element-by-element equality of two datasets: same tags, VRs and value bytes, sequences and fragments recursively.</summary>
internal static class DatasetAssert
{
    public static void Equal(DicomDataset expected, DicomDataset actual, string path = "")
    {
        Assert.Equal(expected.Select(i => i.Tag).ToList(), actual.Select(i => i.Tag).ToList());
        foreach (var item in expected)
        {
            var other = actual.GetItem(item.Tag);
            var where = $"{path}{item.Tag}";
            Assert.True(item.VR == other.VR, $"{where}: VR {item.VR} vs {other.VR}");
            switch (item)
            {
                case DicomElement element:
                    Assert.True(element.Value.Span.SequenceEqual(((DicomElement)other).Value.Span), $"{where}: values differ");
                    break;
                case DicomSequence sequence:
                    var otherSequence = (DicomSequence)other;
                    Assert.Equal(sequence.Count, otherSequence.Count);
                    for (var k = 0; k < sequence.Count; k++)
                    {
                        Equal(sequence[k], otherSequence[k], $"{where}[{k}].");
                    }

                    break;
                case DicomFragmentSequence fragments:
                    var otherFragments = (DicomFragmentSequence)other;
                    Assert.True(fragments.BasicOffsetTableBytes.Span.SequenceEqual(otherFragments.BasicOffsetTableBytes.Span), $"{where}: offset tables differ");
                    Assert.Equal(fragments.Fragments.Count, otherFragments.Fragments.Count);
                    for (var k = 0; k < fragments.Fragments.Count; k++)
                    {
                        Assert.True(fragments.Fragments[k].Data.Span.SequenceEqual(otherFragments.Fragments[k].Data.Span), $"{where} fragment {k} differs");
                    }

                    break;
            }
        }
    }
}
