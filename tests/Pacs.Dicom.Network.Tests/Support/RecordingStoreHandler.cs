using System.Collections.Concurrent;
using System.Security.Cryptography;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;

namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>A storage SCP handler for tests: optionally writes each instance as a Part 10 file, and records a hash of every dataset.</summary>
public sealed class RecordingStoreHandler : IDicomStoreHandler
{
    private readonly string? _directory;
    private int _count;

    public RecordingStoreHandler(string? directory = null) => _directory = directory;

    public ConcurrentBag<(DicomStoreRequest Request, string Sha256, long Length, string? Path)> Received { get; } = [];

    public async ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? path = null;
        Stream? file = null;
        if (_directory is not null)
        {
            path = Path.Combine(_directory, $"{Interlocked.Increment(ref _count):D5}.dcm");
            file = File.Create(path);
            await Part10Header.WriteAsync(file, request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.UidValue, request.Association.CallingAETitle, cancellationToken);
        }

        long length = 0;
        var buffer = new byte[65536];
        int n;
        while ((n = await dataSet.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            length += n;
            if (file is not null)
            {
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }

        if (file is not null)
        {
            await file.DisposeAsync();
        }

        Received.Add((request, Convert.ToHexString(sha.GetHashAndReset()), length, path));
        return DicomStatus.Success;
    }

    /// <summary>SHA-256 of a Part 10 file's dataset bytes (everything after the File Meta Information).</summary>
    public static async Task<string> DataSetHashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await Part10Header.ReadAsync(stream);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream));
    }
}
