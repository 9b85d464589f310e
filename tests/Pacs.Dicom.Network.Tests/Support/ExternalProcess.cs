using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>Runs DCMTK and python tools with bounded waits; DCMTK gets TCP_NODELAY=1 so loopback is not Nagle-bound.</summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ExternalProcess Start(string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["TCP_NODELAY"] = "1";
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return new ExternalProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start " + fileName));
    }

    /// <summary>Runs to completion within <paramref name="timeout"/> and returns exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, string fileName, params string[] args)
    {
        await using var process = Start(fileName, args);
        var code = await process.WaitAsync(timeout);
        return (code, process.Output);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not finish within {timeout}: {Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until something accepts TCP connections on the port (a server process starting up).</summary>
    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
