using System.Runtime.InteropServices;

namespace Pacs.Archive.Storage;

/// <summary>
/// fsync of a directory, which .NET cannot open as a stream: without it a rename or a new directory entry may be lost
/// in a power cut even though the file's data was flushed.
/// </summary>
internal static partial class DirectorySync
{
    private const int ORdOnly = 0;

    /// <summary><c>O_DIRECTORY</c> differs between x86-64 (0200000) and arm64 (040000, where 0200000 is <c>O_DIRECT</c>).</summary>
    private static int ODirectory => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Other systems: best effort (Windows has no directory fsync; macOS needs F_FULLFSYNC).
        }

        var fd = OpenDirectory(directory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>A read-only descriptor of <paramref name="directory"/> (negative on failure, errno kept); close it with <see cref="CloseDescriptor"/>.</summary>
    internal static int OpenDirectory(string directory) => Open(directory, ORdOnly | ODirectory);

    internal static void CloseDescriptor(int fd) => _ = Close(fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
