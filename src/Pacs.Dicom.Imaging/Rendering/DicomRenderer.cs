using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Imaging.Pixels;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>Renders one frame of a dataset for display: grey through the LUT pipeline, colour to RGB, overlays on request.</summary>
public sealed class DicomRenderer(DicomCodecRegistry? registry = null)
{
    private readonly DicomCodecRegistry _registry = registry ?? DicomCodecRegistry.Default;

    public RenderedImage Render(DicomDataset dataset, DicomTransferSyntax transferSyntax, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        options ??= new RenderOptions();
        var pixels = DicomPixelData.Create(dataset, transferSyntax);
        var frame = pixels.GetFrame(options.Frame, _registry);
        return Render(dataset, frame, options);
    }

    /// <summary>Renders an already decoded frame with the presentation attributes of <paramref name="dataset"/>.</summary>
    public static RenderedImage Render(DicomDataset dataset, DecodedFrame frame, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        var format = frame.Format;
        var pixels = frame.Pixels.Span;
        if (pixels.Length < format.DecodedFrameLength)
        {
            throw new DicomException($"Frame holds {pixels.Length} bytes; {format.DecodedFrameLength} expected.");
        }

        var monochrome = format.PhotometricInterpretation is "MONOCHROME1" or "MONOCHROME2" || format.SamplesPerPixel == 1 && format.PhotometricInterpretation != "PALETTE COLOR";
        RenderedImage image;
        if (monochrome)
        {
            image = new RenderedImage(format.Columns, format.Rows, 1, options.SixteenBit ? 16 : 8);
            try
            {
                var pipeline = new GrayscalePipeline(dataset, format, pixels, options);
                pipeline.Render(pixels, image.Pixels, options.SixteenBit);
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
        else
        {
            image = new RenderedImage(format.Columns, format.Rows, 3, 8);
            try
            {
                ColorPipeline.Render(dataset, format, pixels, image.Pixels);
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }

        if (options.BurnInOverlays)
        {
            OverlayPlanes.BurnIn(dataset, options.Frame, image);
        }

        return image;
    }
}
