using Microsoft.Extensions.Http.Logging;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Logs outgoing HTTP requests by method, scheme, host and port only: webhook URLs carry secrets in their path (a
/// Slack or Teams hook) and InfluxDB URLs carry credentials in their query, so neither is ever written to the log.
/// </summary>
internal sealed partial class HostOnlyHttpClientLogger(ILogger<HostOnlyHttpClientLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        LogAnswered(request.Method.Method, Origin(request), (int)response.StatusCode, (long)elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        LogFailed(request.Method.Method, Origin(request), (long)elapsed.TotalMilliseconds, exception.GetType().Name);

    private static string Origin(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true } uri ? $"{uri.Scheme}://{uri.Authority}" : "(relative)";

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Origin} answered {Status} after {ElapsedMs} ms (path and query not logged)")]
    private partial void LogAnswered(string method, string origin, int status, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Method} {Origin} failed after {ElapsedMs} ms: {Error} (path and query not logged)")]
    private partial void LogFailed(string method, string origin, long elapsedMs, string error);
}
