using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pacs.Archive.Storage;

/// <summary>
/// Starts writing a file's dirty pages to disk without waiting (Linux <c>sync_file_range</c>), so that the fsync which
/// later makes it durable finds the data already written instead of writing it then.
/// </summary>
internal static partial class FileWriteback
{
    private const uint SyncFileRangeWrite = 2;

    public static void Start(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);

            // Advisory: a failure here only means the fsync at commit does all the writing, as it would anyway.
            _ = SyncFileRange((int)file.DangerousGetHandle(), 0, 0, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
