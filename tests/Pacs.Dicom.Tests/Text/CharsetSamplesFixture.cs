namespace Pacs.Dicom.Tests.Text;

/// <summary>The text elements of the real character-set samples, read once by pydicom for the whole test class.</summary>
public sealed class CharsetSamplesFixture
{
    public static readonly string[] Files =
    [
        "pyd_chrArab.dcm", "pyd_chrFren.dcm", "pyd_chrFrenMulti.dcm", "pyd_chrGerm.dcm", "pyd_chrGreek.dcm",
        "pyd_chrH31.dcm", "pyd_chrH32.dcm", "pyd_chrHbrw.dcm", "pyd_chrI2.dcm", "pyd_chrJapMulti.dcm",
        "pyd_chrJapMultiExplicitIR6.dcm", "pyd_chrKoreanMulti.dcm", "pyd_chrRuss.dcm", "pyd_chrSQEncoding.dcm",
        "pyd_chrSQEncoding1.dcm", "pyd_chrX1.dcm", "pyd_chrX2.dcm", "fod_chrGB2312.dcm",
    ];

    private readonly IReadOnlyDictionary<string, IReadOnlyList<SampleElement>> elements =
        PydicomReference.Samples(Files.Select(TestData.Sample));

    internal IReadOnlyList<SampleElement> ElementsOf(string file) => elements[TestData.Sample(file)];

    internal SampleElement Element(string file, string path) =>
        ElementsOf(file).Single(e => e.Path == path);
}
