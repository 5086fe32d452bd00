using System.Collections;
using System.Text.RegularExpressions;

namespace SpectralNotify.Server.Observability;

/// <summary>
/// Live endpoints accept a credential in the URL (<c>?apiKey=</c>, <c>?access_token=</c>) because
/// browsers cannot set headers on WebSocket and EventSource requests; ASP.NET Core's request logs
/// print the URL. Every logging provider is wrapped so such a value never reaches a log line, in the
/// message or in its structured properties.
/// </summary>
public static partial class CredentialRedaction
{
    [GeneratedRegex(@"(?<=[?&](?:apiKey|access_token)=)[^&\s""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InUrl();

    public static string Redact(string text) =>
        text.Contains("apiKey=", StringComparison.OrdinalIgnoreCase) || text.Contains("access_token=", StringComparison.OrdinalIgnoreCase)
            ? InUrl().Replace(text, "***")
            : text;

    /// <summary>Wraps every <see cref="ILoggerProvider"/> registered so far. Call after all providers are added.</summary>
    public static void WrapLoggerProviders(IServiceCollection services)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList())
        {
            services.Remove(d);
            services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(sp => new Provider(Create(sp, d))));
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor d) =>
        (ILoggerProvider)(d.ImplementationInstance
            ?? d.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));

    private sealed class Provider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            var redacted = Redact(message);
            var properties = state as IReadOnlyList<KeyValuePair<string, object?>>;
            var propertiesHoldCredential = properties?.Any(p => p.Value is string s && !ReferenceEquals(Redact(s), s)) == true;
            if (ReferenceEquals(redacted, message) && !propertiesHoldCredential)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var safe = new RedactedState(redacted, properties?.Select(p => p.Value is string s ? new KeyValuePair<string, object?>(p.Key, Redact(s)) : p).ToList() ?? []);
            inner.Log(logLevel, eventId, safe, exception, static (s, _) => s.Message);
        }
    }

    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> properties) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;
        public int Count => properties.Count;
        public KeyValuePair<string, object?> this[int index] => properties[index];
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => properties.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => message;
    }
}
