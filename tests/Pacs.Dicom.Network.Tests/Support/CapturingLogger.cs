using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>Keeps every log line so tests can assert that a bad peer was logged.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));

    public bool Contains(string fragment) => Entries.Any(e => e.Message.Contains(fragment, StringComparison.Ordinal));
}
