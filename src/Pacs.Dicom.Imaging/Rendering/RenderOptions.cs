namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>The VOI LUT function of PS3.3 C.11.2.1.2/3.</summary>
public enum VoiLutFunction
{
    Linear,
    LinearExact,
    Sigmoid,
}

/// <summary>A window centre/width pair in modality units and the function that applies it.</summary>
public readonly record struct VoiWindow(double Center, double Width, VoiLutFunction Function = VoiLutFunction.Linear);

/// <summary>How to render one frame.</summary>
public sealed record RenderOptions
{
    public int Frame { get; init; }

    /// <summary>An explicit window; null takes the dataset's VOI (window, then VOI LUT) or, without one, the pixel range.</summary>
    public VoiWindow? Window { get; init; }

    /// <summary>Which of the dataset's windows (or VOI LUTs) to use when several are given.</summary>
    public int VoiIndex { get; init; }

    /// <summary>Burns the overlay planes (60xx) into the image.</summary>
    public bool BurnInOverlays { get; init; }

    /// <summary>Monochrome output with 16 bits a pixel (for 16-bit PNG) instead of 8.</summary>
    public bool SixteenBit { get; init; }
}
