using Pacs.Dicom;

namespace Pacs.Cli.Commands.Network;

/// <summary>The options find, move and get share: `[-P|-S] [-L LEVEL] -k Keyword[=value]…`.</summary>
internal static class QueryArguments
{
    public static readonly HashSet<string> ValueOptions = ["-k", "-L", .. NetworkArguments.ValueOptions];

    public const string Usage = """
          -P             Patient Root information model
          -S             Study Root information model (default)
          -L LEVEL       Query/Retrieve Level: PATIENT, STUDY (default), SERIES or IMAGE
          -k KEY[=VALUE] a key by keyword or tag (PatientID=123, 0010,0010=DOE*); no value asks for it to be returned
        """;

    /// <summary>The identifier: Query/Retrieve Level first, then every -k key (VR from the dictionary).</summary>
    public static DicomDataset Identifier(CliArguments parsed)
    {
        var identifier = new DicomDataset();
        identifier.Add(DicomTag.QueryRetrieveLevel, (parsed.Value("-L") ?? "STUDY").ToUpperInvariant());
        foreach (var key in parsed.Values("-k"))
        {
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? key : key[..eq];
            var value = eq < 0 ? string.Empty : key[(eq + 1)..];
            if (!DicomTag.TryParse(name, out var tag))
            {
                throw new CliUsageException($"'{name}' is neither a keyword nor a tag.");
            }

            identifier.AddOrUpdate(tag, value);
        }

        return identifier;
    }

    /// <summary>The information model's SOP class for one service ("FIND", "MOVE", "GET").</summary>
    public static string SopClass(CliArguments parsed, string service)
    {
        var patientRoot = parsed.Has("-P");
        return (service, patientRoot) switch
        {
            ("FIND", true) => DicomUid.PatientRootQueryRetrieveInformationModelFind.Value,
            ("FIND", false) => DicomUid.StudyRootQueryRetrieveInformationModelFind.Value,
            ("MOVE", true) => DicomUid.PatientRootQueryRetrieveInformationModelMove.Value,
            ("MOVE", false) => DicomUid.StudyRootQueryRetrieveInformationModelMove.Value,
            (_, true) => DicomUid.PatientRootQueryRetrieveInformationModelGet.Value,
            _ => DicomUid.StudyRootQueryRetrieveInformationModelGet.Value,
        };
    }
}
