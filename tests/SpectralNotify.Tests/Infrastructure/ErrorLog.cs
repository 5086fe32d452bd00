using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// Records every log entry at or above <paramref name="minimum"/> (Error by default: category,
/// message, structured properties, exception) of a test host, so a test can assert that nothing it
/// did was logged as a server bug, or that nothing secret was logged. Register it with
/// <c>TestHost.StartAsync(…, services: s =&gt; s.AddSingleton&lt;ILoggerProvider&gt;(log))</c>.
/// </summary>
public sealed class ErrorLog(LogLevel minimum = LogLevel.Error) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, minimum, _entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, LogLevel minimum, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var properties = state is IEnumerable<KeyValuePair<string, object?>> list ? " " + string.Join(", ", list.Select(p => $"{p.Key}={p.Value}")) : "";
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{properties}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
