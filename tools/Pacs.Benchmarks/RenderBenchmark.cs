using System.Diagnostics;
using System.Globalization;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Dicom.Imaging.Rendering;
using Pacs.Dicom.Imaging.Transcoding;
using Pacs.Dicom.IO;

namespace Pacs.Benchmarks;

/// <summary>
/// Pixel pipeline timings on one 512x512 CT frame: decode per codec, window + PNG, window + JPEG, thumbnail, and the
/// whole render (decode .70 + window + JPEG), single-threaded and on 2 threads (ms per frame = wall / frames).
/// </summary>
internal static class RenderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dir = BenchData.Option(args, "--data") ?? "/tmp/pacs-bench/ct";
        var repeats = int.Parse(BenchData.Option(args, "--repeats") ?? "30", CultureInfo.InvariantCulture);
        var source = (await BenchData.CtFilesAsync(dir, 1))[0];
        var work = Path.Combine(Path.GetTempPath(), "pacs-render-bench");
        Directory.CreateDirectory(work);
        var native = DicomFile.Open(source, new DicomReadOptions());
        var transcoder = new DicomTranscoder();
        var files = new List<(string Name, DicomFile File)>
        {
            ("native", native),
            (".70 SV1 (dcmcjpeg)", External(source, work, "sv1", "dcmcjpeg", "+e1")),
            (".57 SV7 (dcmcjpeg)", External(source, work, "sv7", "dcmcjpeg", "+el", "+sv", "7")),
            (".5 RLE (ours)", transcoder.Transcode(native, DicomTransferSyntax.RLELossless)),
            (".80 JPEG-LS (ours)", transcoder.Transcode(native, DicomTransferSyntax.JPEGLSLossless)),
            (".90 J2K lossless (ours)", transcoder.Transcode(native, DicomTransferSyntax.JPEG2000Lossless)),
            (".91 J2K lossy (ours)", transcoder.Transcode(native, DicomTransferSyntax.JPEG2000)),
            (".8.1 deflated frame (ours)", transcoder.Transcode(native, DicomTransferSyntax.DeflatedImageFrameCompression)),
        };

        Console.WriteLine($"one {native.Dataset.GetValue<int>(DicomTag.Columns)}x{native.Dataset.GetValue<int>(DicomTag.Rows)} CT frame from {source}; median of {repeats}, ms per frame");
        Console.WriteLine($"{"step",-34} {"1 thread",10} {"2 threads",10}");
        foreach (var (name, file) in files)
        {
            var data = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
            Report("decode " + name, repeats, () => data.GetFrame(0));
        }

        var sv1Data = DicomPixelData.Create(files[1].File.Dataset, files[1].File.TransferSyntax);
        var sv1Stored = sv1Data.GetStoredFrame(0);
        var jpegLibrary = new Pacs.Dicom.Imaging.Codecs.Jpeg.JpegLosslessCodec(DicomTransferSyntax.JPEGLosslessSV1, useJpegLibraryForSv1: true);
        Report("decode .70 by JpegLibrary", repeats, () => jpegLibrary.Decode(sv1Stored, sv1Data.Format));
        var frame = DicomPixelData.Create(native.Dataset, native.TransferSyntax).GetFrame(0);
        var window = new RenderOptions { Window = new VoiWindow(40, 400) };
        Report("window only", repeats, () => DicomRenderer.Render(native.Dataset, frame, window).Dispose());
        Report("window + PNG", repeats, () =>
        {
            using var image = DicomRenderer.Render(native.Dataset, frame, window);
            ImageEncoder.Encode(image, RenderedImageFormat.Png);
        });
        Report("window + JPEG q90", repeats, () =>
        {
            using var image = DicomRenderer.Render(native.Dataset, frame, window);
            ImageEncoder.Encode(image, RenderedImageFormat.Jpeg, 90);
        });
        Report("window + thumbnail 128 JPEG", repeats, () =>
        {
            using var image = DicomRenderer.Render(native.Dataset, frame, window);
            ImageEncoder.Thumbnail(image, 128);
        });
        var sv1 = files[1].File;
        var renderer = new DicomRenderer();
        Report("decode .70 + window + JPEG q90", repeats, () =>
        {
            using var image = renderer.Render(sv1.Dataset, sv1.TransferSyntax, window);
            ImageEncoder.Encode(image, RenderedImageFormat.Jpeg, 90);
        });
        return 0;
    }

    private static DicomFile External(string source, string work, string name, string tool, params string[] options)
    {
        var output = Path.Combine(work, name + ".dcm");
        var psi = new ProcessStartInfo(tool) { UseShellExecute = false };
        foreach (var o in options)
        {
            psi.ArgumentList.Add(o);
        }

        psi.ArgumentList.Add(source);
        psi.ArgumentList.Add(output);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return DicomFile.Open(output, new DicomReadOptions());
    }

    private static void Report(string name, int repeats, Action action)
    {
        for (var i = 0; i < 3; i++)
        {
            action();
        }

        var single = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            single[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(single);
        var total = Stopwatch.StartNew();
        Parallel.For(0, repeats * 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ => action());
        var perFrame = total.Elapsed.TotalMilliseconds / (repeats * 2);
        Console.WriteLine($"{name,-34} {single[repeats / 2],10:F2} {perFrame,10:F2}");
    }
}
