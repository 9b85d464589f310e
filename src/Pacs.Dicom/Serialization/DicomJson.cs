namespace Pacs.Dicom.Serialization;

/// <summary>Shorthands for DICOM JSON (PS3.18 Annex F): dataset to string and back.</summary>
public static class DicomJson
{
    /// <summary>The dataset as DICOM JSON text (see <see cref="DicomJsonWriter"/> for the rules followed).</summary>
    public static string Serialize(DicomDataset dataset, DicomJsonOptions? options = null) => DicomJsonWriter.ToJson(dataset, options);

    /// <summary>A dataset from DICOM JSON text; a <see cref="DicomException"/> for malformed input.</summary>
    public static DicomDataset Deserialize(string json, DicomJsonReaderOptions? options = null) => DicomJsonReader.Read(json, options);

    /// <summary>Datasets as a DICOM JSON array.</summary>
    public static string SerializeArray(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null) => DicomJsonWriter.ToJson(datasets, options);

    /// <summary>Datasets from a DICOM JSON array.</summary>
    public static IReadOnlyList<DicomDataset> DeserializeArray(string json, DicomJsonReaderOptions? options = null) => DicomJsonReader.ReadArray(json, options);
}
