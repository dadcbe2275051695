using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Ingest.Tests;

/// <summary>Keeps every message logged at Warning or above, for tests that check what an operator is told.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger<T> For<T>() => new Logger<T>(new LoggerFactory([this]));

    public ILogger CreateLogger(string categoryName) => new Recording(this);

    public void Dispose()
    {
    }

    private sealed class Recording(LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                recorder.Entries.Enqueue((logLevel, formatter(state, exception)));
            }
        }
    }
}
