using System.Diagnostics;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Dicom.IO;

namespace Pacs.Dicom.Imaging.Tests;

/// <summary>Locates the shared samples and runs the reference tools (DCMTK, GDCM, OpenJPH, pydicom).</summary>
internal static class TestData
{
    private static readonly Lazy<string> SharedRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "dicom-samples");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "shared");
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("No shared/dicom-samples above " + AppContext.BaseDirectory);
    });

    public static string Sample(string name) => Path.Combine(SharedRoot.Value, "dicom-samples", name);

    public static string TempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "pacs-imaging-tests", name + "-" + Environment.ProcessId);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs a tool and returns its standard output; a non-zero exit fails the test with its stderr.</summary>
    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} timed out");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }

    public static DicomFile Open(string path) => DicomFile.Open(path, new DicomReadOptions());

    /// <summary>Native pixel bytes of every frame of a file with uncompressed pixel data, as our frame reader gives them.</summary>
    public static (byte[] Pixels, PixelFormat Format) NativePixels(string path)
    {
        var file = Open(path);
        var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        Assert.False(data.IsEncapsulated, path + " should be native");
        using var all = new MemoryStream();
        for (var i = 0; i < data.NumberOfFrames; i++)
        {
            all.Write(data.GetFrame(i).Pixels.Span);
        }

        return (all.ToArray(), data.Format);
    }

    /// <summary>Every frame decoded by us, concatenated.</summary>
    public static (byte[] Pixels, PixelFormat Format) DecodeAll(DicomFile file)
    {
        var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        using var all = new MemoryStream();
        PixelFormat? format = null;
        for (var i = 0; i < data.NumberOfFrames; i++)
        {
            var frame = data.GetFrame(i);
            format = frame.Format;
            all.Write(frame.Pixels.Span);
        }

        return (all.ToArray(), format!);
    }

    /// <summary>Asserts equal sample values, comparing only the Bits Stored bits (the bits above carry no value).</summary>
    public static void AssertSamplesEqual(byte[] expected, byte[] actual, PixelFormat format, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} bytes, {expected.Length} expected");
        var bps = format.BytesPerSample;
        var mask = format.BitsStored >= 32 ? uint.MaxValue : (1u << format.BitsStored) - 1;
        var differences = 0;
        var first = -1;
        for (var i = 0; i + bps <= expected.Length; i += bps)
        {
            uint e = 0, a = 0;
            for (var b = 0; b < bps; b++)
            {
                e |= (uint)expected[i + b] << (8 * b);
                a |= (uint)actual[i + b] << (8 * b);
            }

            if ((e & mask) != (a & mask))
            {
                differences++;
                first = first < 0 ? i / bps : first;
            }
        }

        Assert.True(differences == 0, $"{what}: {differences} samples differ, first at sample {first}");
    }
}
