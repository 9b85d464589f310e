using System.Runtime.InteropServices;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// An in-memory OpenJPEG stream (input from a byte array, or output to a growing buffer) plus the last error message
/// the codec reported; passed to the native callbacks through a GCHandle.
/// </summary>
internal sealed unsafe class OpenJpegStream : IDisposable
{
    private readonly byte[] _input;
    private readonly MemoryStream? _output;
    private GCHandle _handle;
    private int _position;

    private OpenJpegStream(byte[] input, MemoryStream? output, bool isInput)
    {
        _input = input;
        _output = output;
        _handle = GCHandle.Alloc(this);
        Native = OpenJpegNative.opj_stream_create(1 << 16, isInput ? 1 : 0);
        if (Native == IntPtr.Zero)
        {
            _handle.Free();
            throw new DicomCodecException("OpenJPEG could not create a stream.");
        }

        if (isInput)
        {
            OpenJpegNative.opj_stream_set_read_function(Native, &Read);
            OpenJpegNative.opj_stream_set_user_data_length(Native, (ulong)input.Length);
        }
        else
        {
            OpenJpegNative.opj_stream_set_write_function(Native, &Write);
        }

        OpenJpegNative.opj_stream_set_skip_function(Native, &Skip);
        OpenJpegNative.opj_stream_set_seek_function(Native, &Seek);
        OpenJpegNative.opj_stream_set_user_data(Native, UserData, IntPtr.Zero);
    }

    public IntPtr Native { get; }

    public IntPtr UserData => GCHandle.ToIntPtr(_handle);

    public string? LastError { get; private set; }

    public static OpenJpegStream ForInput(byte[] data) => new(data, null, true);

    public static OpenJpegStream ForOutput(int capacity) => new([], new MemoryStream(capacity), false);

    public byte[] ToArray() => _output?.ToArray() ?? [];

    public void Dispose()
    {
        OpenJpegNative.opj_stream_destroy(Native);
        if (_handle.IsAllocated)
        {
            _handle.Free();
        }

        _output?.Dispose();
    }

    [UnmanagedCallersOnly]
    public static void OnError(IntPtr message, IntPtr user)
    {
        if (GCHandle.FromIntPtr(user).Target is OpenJpegStream s)
        {
            s.LastError = Marshal.PtrToStringAnsi(message)?.Trim();
        }
    }

    private static OpenJpegStream From(IntPtr user) => (OpenJpegStream)GCHandle.FromIntPtr(user).Target!;

    [UnmanagedCallersOnly]
    private static nuint Read(IntPtr buffer, nuint count, IntPtr user)
    {
        var s = From(user);
        var left = s._input.Length - s._position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1));
        }

        var n = (int)Math.Min((nuint)left, count);
        s._input.AsSpan(s._position, n).CopyTo(new Span<byte>((void*)buffer, n));
        s._position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static nuint Write(IntPtr buffer, nuint count, IntPtr user)
    {
        From(user)._output!.Write(new ReadOnlySpan<byte>((void*)buffer, (int)count));
        return count;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, IntPtr user)
    {
        var s = From(user);
        if (s._output is not null)
        {
            s._output.Seek(count, SeekOrigin.Current);
            return count;
        }

        var target = Math.Clamp(s._position + count, 0, s._input.Length);
        var moved = target - s._position;
        s._position = (int)target;
        return moved;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long position, IntPtr user)
    {
        var s = From(user);
        if (s._output is not null)
        {
            s._output.Seek(position, SeekOrigin.Begin);
            return 1;
        }

        if (position < 0 || position > s._input.Length)
        {
            return 0;
        }

        s._position = (int)position;
        return 1;
    }
}
