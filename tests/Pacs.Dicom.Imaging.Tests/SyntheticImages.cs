namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Synthetic native images written once per test run by Scripts/make_synthetic.py (pydicom).</summary>
internal static class SyntheticImages
{
    public static readonly string[] Kinds = ["u8", "u12", "s12", "u16", "s16", "rgb8"];

    private static readonly Lazy<string> Directory_ = new(() =>
    {
        var dir = TestData.TempDirectory("synthetic");
        TestData.Run("/usr/bin/python3", Path.Combine(AppContext.BaseDirectory, "Scripts", "make_synthetic.py"), dir);
        return dir;
    });

    public static string Source(string kind) => Path.Combine(Directory_.Value, kind + ".dcm");

    /// <summary>The source encoded by a reference tool (cached by name).</summary>
    public static string Encoded(string kind, string name, string tool, params string[] options)
    {
        var output = Path.Combine(Directory_.Value, $"{kind}.{name}.dcm");
        lock (Directory_)
        {
            if (!File.Exists(output))
            {
                TestData.Run(tool, [.. options, Source(kind), output]);
            }
        }

        return output;
    }
}
