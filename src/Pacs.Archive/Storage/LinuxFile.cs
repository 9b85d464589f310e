using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pacs.Archive.Storage;

/// <summary>The few Linux file calls .NET does not offer: opening with <c>O_DIRECT</c>, and the calls made on such a file.</summary>
internal static partial class LinuxFile
{
    public const int EInval = 22;

    private const int ORdWr = 0x2;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int OCloExec = 0x80000;

    /// <summary><c>O_DIRECT</c> is one of the few flags whose value differs between x86-64 and arm64.</summary>
    private static int ODirect => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    private const int PosixFadvWillNeed = 3;

    private const int FGetFl = 3;
    private const int FSetFl = 4;

    /// <summary>
    /// Creates a new file (read-write), for unbuffered I/O when <paramref name="direct"/>; the handle closes the
    /// descriptor. An invalid handle and the errno when the open fails.
    /// </summary>
    public static SafeFileHandle Create(string path, bool direct, out int errno)
    {
        var fd = Open(path, ORdWr | OCreat | OExcl | OCloExec | (direct ? ODirect : 0), Convert.ToInt32("644", 8));
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: fd >= 0);
    }

    /// <summary>Switches an open file to buffered I/O, so that a last write need not be a whole block.</summary>
    public static void StopDirect(SafeFileHandle file, string path)
    {
        var flags = FileControl(file, FGetFl, 0);
        if (flags < 0 || FileControl(file, FSetFl, flags & ~ODirect) < 0)
        {
            throw Failure("fcntl", path, Marshal.GetLastPInvokeError());
        }
    }

    public static void WriteAll(SafeFileHandle file, ReadOnlySpan<byte> bytes, long offset, string path)
    {
        while (!bytes.IsEmpty)
        {
            var n = PWrite(file, bytes, (nuint)bytes.Length, offset);
            if (n <= 0)
            {
                throw Failure("write", path, n < 0 ? Marshal.GetLastPInvokeError() : 0);
            }

            bytes = bytes[(int)n..];
            offset += n;
        }
    }

    /// <summary>Reads up to <paramref name="destination"/>'s length at <paramref name="offset"/>; fewer bytes only at the end of the file.</summary>
    public static int ReadAt(SafeFileHandle file, Span<byte> destination, long offset, string path)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = PRead(file, destination[total..], (nuint)(destination.Length - total), offset + total);
            if (n < 0)
            {
                throw Failure("read", path, Marshal.GetLastPInvokeError());
            }

            if (n == 0)
            {
                break;
            }

            total += (int)n;
        }

        return total;
    }

    /// <summary>Asks the kernel to read <paramref name="length"/> bytes from the start into the page cache, without waiting.</summary>
    public static void AdviseWillNeed(SafeFileHandle file, long length) => _ = FileAdvise(file, 0, length, PosixFadvWillNeed);

    public static void Sync(SafeFileHandle file, string path)
    {
        if (FSync(file) != 0)
        {
            throw Failure("fsync", path, Marshal.GetLastPInvokeError());
        }
    }

    private static IOException Failure(string call, string path, int errno) =>
        new($"{call} of {path} failed: {(errno == 0 ? "no progress" : Marshal.GetPInvokeErrorMessage(errno))} (errno {errno}).", errno);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FileControl(SafeFileHandle fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint PWrite(SafeFileHandle fd, ReadOnlySpan<byte> buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PRead(SafeFileHandle fd, Span<byte> buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int FileAdvise(SafeFileHandle fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(SafeFileHandle fd);
}
