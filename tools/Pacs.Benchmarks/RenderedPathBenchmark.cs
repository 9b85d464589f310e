using System.Diagnostics;
using System.Globalization;
using NetVips;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Pixels;
using Pacs.Dicom.Imaging.Rendering;
using Pacs.Dicom.IO;

namespace Pacs.Benchmarks;

/// <summary>
/// The WADO-RS rendered path on stored 512x512 16-bit CT instances, step by step as the server runs it (read the
/// stored object, parse, locate the frame, window to 8 bits, encode), each step over N different files so the figures
/// are for cold frames; the libvips encoders the server used before are timed beside the direct ones.
/// </summary>
internal static class RenderedPathBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dir = BenchData.Option(args, "--data") ?? "/tmp/pacs-bench/ct";
        var count = int.Parse(BenchData.Option(args, "--count") ?? "20", CultureInfo.InvariantCulture);
        var repeats = int.Parse(BenchData.Option(args, "--repeats") ?? "5", CultureInfo.InvariantCulture);
        var paths = await BenchData.CtFilesAsync(dir, count);
        var blobs = paths.Select(File.ReadAllBytes).ToArray();
        var files = blobs.Select(b => DicomFile.Open(b)).ToArray();
        var frames = files.Select(f => DicomPixelData.Create(f.Dataset, f.TransferSyntax).GetFrame(0)).ToArray();
        var images = files.Select((f, i) => DicomRenderer.Render(f.Dataset, frames[i], new RenderOptions())).ToArray();
        Console.WriteLine($"{paths.Length} stored CT instances from {dir}, {images[0].Width}x{images[0].Height}; median over files x {repeats} repeats, ms");

        Step("read stored object (page cache)", paths.Length, repeats, i => File.ReadAllBytes(paths[i]));
        Step("parse whole object", paths.Length, repeats, i => DicomFile.Open(blobs[i]));
        Step("locate frame 1", paths.Length, repeats, i => DicomPixelData.Create(files[i].Dataset, files[i].TransferSyntax).GetFrame(0));
        Step("window (dataset VOI) to 8 bits", paths.Length, repeats, i =>
        {
            using var image = DicomRenderer.Render(files[i].Dataset, frames[i], new RenderOptions());
            return image.Width;
        });
        Step("JPEG q90, libvips (before)", paths.Length, repeats, i => Vips(images[i], v => v.JpegsaveBuffer(q: 90)));
        Step("JPEG q90, libturbojpeg (now)", paths.Length, repeats, i => ImageEncoder.Encode(images[i], RenderedImageFormat.Jpeg, 90));
        Step("PNG, libvips compression 6 (before)", paths.Length, repeats, i => Vips(images[i], v => v.PngsaveBuffer(compression: 6)));
        Step("PNG, libvips compression 1, no filter", paths.Length, repeats, i => Vips(images[i], v => v.PngsaveBuffer(compression: 1, filter: Enums.ForeignPngFilter.None)));
        Step("PNG, Up filter + zlib 1 (now)", paths.Length, repeats, i => ImageEncoder.Encode(images[i], RenderedImageFormat.Png));
        Console.WriteLine($"sizes: JPEG {ImageEncoder.Encode(images[0], RenderedImageFormat.Jpeg, 90).Length} B, PNG now {ImageEncoder.Encode(images[0], RenderedImageFormat.Png).Length} B, PNG libvips 6 {Vips(images[0], v => v.PngsaveBuffer(compression: 6)).Length} B");
        Step("whole path, JPEG (now)", paths.Length, repeats, i => Whole(paths[i], RenderedImageFormat.Jpeg));
        Step("whole path, PNG (now)", paths.Length, repeats, i => Whole(paths[i], RenderedImageFormat.Png));
        foreach (var image in images)
        {
            image.Dispose();
        }

        return 0;
    }

    private static byte[] Whole(string path, RenderedImageFormat format)
    {
        var file = DicomFile.Open(File.ReadAllBytes(path));
        using var image = new DicomRenderer().Render(file.Dataset, file.TransferSyntax, new RenderOptions());
        return ImageEncoder.Encode(image, format, 90);
    }

    private static byte[] Vips(RenderedImage image, Func<Image, byte[]> save)
    {
        using var raw = Image.NewFromMemory(image.Pixels.ToArray(), image.Width, image.Height, image.Bands, Enums.BandFormat.Uchar);
        using var grey = raw.Copy(interpretation: Enums.Interpretation.Bw);
        return save(grey);
    }

    private static void Step(string name, int files, int repeats, Func<int, object> action)
    {
        for (var i = 0; i < files; i++)
        {
            action(i);
        }

        var samples = new List<double>(files * repeats);
        for (var r = 0; r < repeats; r++)
        {
            for (var i = 0; i < files; i++)
            {
                var sw = Stopwatch.StartNew();
                GC.KeepAlive(action(i));
                samples.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        Console.WriteLine($"{name,-40} {samples[samples.Count / 2],8:F3}  (min {samples[0]:F3})");
    }
}
