using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Records every Error and Critical log entry (category, message, exception) of a test host, so a
/// test can assert that nothing it did was logged as a server bug. Register it with
/// <c>TestHost.StartAsync(…, services: s =&gt; s.AddSingleton&lt;ILoggerProvider&gt;(log))</c>.
/// </summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
