using System.Diagnostics;

namespace Pacs.Cli.Terminal;

/// <summary>
/// A one-line progress bar on stderr for long CLI work (import, store): count, rate and ETA.
/// Redraws at most ten times a second; when stderr is not a terminal it prints a line every few seconds instead.
/// Thread-safe: workers call <see cref="Advance"/> concurrently.
/// </summary>
public sealed class ProgressBar : IDisposable
{
    private readonly string _label;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private long _done;
    private long _failed;
    private long _bytes;
    private long _lastDrawTicks;
    private bool _disposed;

    public ProgressBar(string label, long total)
    {
        _label = label;
        _total = total;
    }

    public long Done => Interlocked.Read(ref _done);

    public long Failed => Interlocked.Read(ref _failed);

    public long Bytes => Interlocked.Read(ref _bytes);

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Advance(bool succeeded, long bytes = 0)
    {
        Interlocked.Increment(ref _done);
        if (!succeeded)
        {
            Interlocked.Increment(ref _failed);
        }

        Interlocked.Add(ref _bytes, bytes);
        var now = _clock.ElapsedTicks;
        var interval = _interactive ? Stopwatch.Frequency / 10 : Stopwatch.Frequency * 5;
        var last = Interlocked.Read(ref _lastDrawTicks);
        if (now - last >= interval && Interlocked.CompareExchange(ref _lastDrawTicks, now, last) == last)
        {
            Draw(final: false);
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Draw(final: true);
        }
    }

    private void Draw(bool final)
    {
        lock (_gate)
        {
            var done = Done;
            var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-6);
            var rate = done / seconds;
            var fraction = _total > 0 ? Math.Min(1.0, (double)done / _total) : 0;
            const int Width = 30;
            var filled = (int)(fraction * Width);
            var eta = rate > 0 && _total > done ? TimeSpan.FromSeconds((_total - done) / rate) : TimeSpan.Zero;
            var line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{_total} {rate:F1}/s {Bytes / seconds / 1048576:F1} MB/s failed {Failed} eta {eta:hh\\:mm\\:ss}");
            if (_interactive)
            {
                Console.Error.Write("\r" + line + (final ? Environment.NewLine : string.Empty));
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
    }
}
