namespace Pacs.Dicom.Tests.IO;

/// <summary>Element-by-element comparison of two datasets, values compared as bytes with even-length padding ignored.</summary>
internal static class DatasetComparer
{
    public static void AssertEqual(DicomDataset expected, DicomDataset actual, bool compareVR, string path = "")
    {
        Assert.Equal(expected.Select(i => i.Tag), actual.Select(i => i.Tag));
        foreach (var e in expected)
        {
            var a = actual[e.Tag]!;
            var where = $"{path}{e.Tag}";
            if (!compareVR && e is DicomElement { VR: DicomVR.UN } && a is DicomSequence)
            {
                // A UN value whose tag the dictionary calls SQ is read back as a sequence from implicit VR.
                continue;
            }

            switch (e)
            {
                case DicomSequence sq:
                    var asq = Assert.IsType<DicomSequence>(a);
                    Assert.True(sq.Count == asq.Count, $"{where}: item count {sq.Count} vs {asq.Count}");
                    for (var i = 0; i < sq.Count; i++)
                    {
                        AssertEqual(sq[i], asq[i], compareVR, $"{where}[{i}]/");
                    }

                    break;
                case DicomFragmentSequence fs:
                    var afs = Assert.IsType<DicomFragmentSequence>(a);
                    Assert.Equal(fs.Fragments.Count, afs.Fragments.Count);
                    Assert.True(SameValue(fs.BasicOffsetTableBytes, afs.BasicOffsetTableBytes), $"{where}: offset table differs");
                    for (var i = 0; i < fs.Fragments.Count; i++)
                    {
                        Assert.True(SameValue(fs.Fragments[i].Data, afs.Fragments[i].Data), $"{where}: fragment {i} differs");
                    }

                    break;
                case DicomElement el:
                    var ael = Assert.IsType<DicomElement>(a);
                    if (compareVR)
                    {
                        Assert.True(el.VR == ael.VR, $"{where}: VR {el.VR} vs {ael.VR}");
                    }

                    if (!e.Tag.IsGroupLength)
                    {
                        // Group lengths depend on the encoding and are recalculated on writing.
                        Assert.True(SameValue(el.Value, ael.Value), $"{where}: value differs");
                    }

                    break;
            }
        }
    }

    /// <summary>Equal bytes, except that an odd-length value comes back with its one padding byte.</summary>
    private static bool SameValue(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual)
    {
        var extra = actual.Length - expected.Length;
        return (extra == 0 || (extra == 1 && (expected.Length & 1) == 1 && actual.Span[^1] is 0x00 or 0x20))
            && actual.Span[..expected.Length].SequenceEqual(expected.Span);
    }
}
