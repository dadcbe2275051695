using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MetaAnomaly.Ingest.Configuration;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Influx;

/// <summary>
/// InfluxDB's v1 HTTP API (<c>/ping</c>, <c>/write</c>, <c>/query</c>), served by InfluxDB 1.x, by 2.x through its
/// v1-compatibility endpoints and by 3.x. Each call takes a client from <see cref="IHttpClientFactory"/> (named
/// <see cref="HttpClientName"/>, so that long-lived users such as the pull source still get rotated handlers), whose
/// resilience handler retries transient failures (connection errors, 5xx, 429, timeouts) with exponential backoff and
/// jitter; everything else becomes an <see cref="InfluxException"/> that says what to check.
/// </summary>
public sealed class InfluxClient(IHttpClientFactory clients, IOptions<IngestOptions> options)
{
    public const string HttpClientName = "influx";

    private readonly InfluxOptions _options = options.Value.Influx;

    public Uri? BaseAddress => string.IsNullOrWhiteSpace(_options.Url) ? null : new Uri(_options.Url.TrimEnd('/') + "/");

    /// <summary>Sets the base address and the credentials (<c>Token</c> header, else Basic) on the named client.</summary>
    internal static void Configure(HttpClient http, InfluxOptions options)
    {
        http.Timeout = Timeout.InfiniteTimeSpan;
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            http.BaseAddress = new Uri(options.Url.TrimEnd('/') + "/");
        }
        if (!string.IsNullOrEmpty(options.Token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    /// <summary>The server's version (<c>X-Influxdb-Version</c>).</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "ping");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, "ping", cancellationToken);
        return response.Headers.TryGetValues("X-Influxdb-Version", out var versions) ? versions.FirstOrDefault() ?? "" : "";
    }

    /// <summary>Writes a line-protocol body (gzip-compressed on the wire) at the given precision.</summary>
    public async Task WriteAsync(string database, string? retentionPolicy, ReadOnlyMemory<byte> lines, string precision, CancellationToken cancellationToken)
    {
        var compressed = Gzip(lines.Span);
        var query = $"write?db={Uri.EscapeDataString(database)}&precision={precision}"
            + (string.IsNullOrEmpty(retentionPolicy) ? "" : "&rp=" + Uri.EscapeDataString(retentionPolicy));
        var content = new ByteArrayContent(compressed);
        content.Headers.ContentEncoding.Add("gzip");
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, query) { Content = content };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, $"write to database '{database}'", cancellationToken);
    }

    /// <summary>
    /// Runs an InfluxQL query with <c>epoch=ns</c> and <c>chunked=true</c>, yielding series as chunks arrive.
    /// </summary>
    public async IAsyncEnumerable<InfluxSeries> QueryAsync(string database, string influxQl, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"query?db={Uri.EscapeDataString(database)}&epoch=ns&chunked=true&chunk_size={_options.QueryChunkSize}&q={Uri.EscapeDataString(influxQl)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, "query", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var series in InfluxResponseReader.ReadAsync(stream, cancellationToken))
        {
            yield return series;
        }
    }

    /// <summary>Runs a statement that changes the server (CREATE, DROP, ...) with POST.</summary>
    public async Task ExecuteAsync(string? database, string influxQl, CancellationToken cancellationToken)
    {
        var path = "query?q=" + Uri.EscapeDataString(influxQl) + (database is null ? "" : "&db=" + Uri.EscapeDataString(database));
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, "statement", cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var _ in InfluxResponseReader.ReadAsync(stream, cancellationToken))
        {
        }
    }

    /// <summary><c>SHOW MEASUREMENTS</c>, optionally filtered by a regex.</summary>
    public async Task<IReadOnlyList<string>> ShowMeasurementsAsync(string database, string? regex, CancellationToken cancellationToken)
    {
        var statement = "SHOW MEASUREMENTS" + (string.IsNullOrEmpty(regex) ? "" : " WITH MEASUREMENT =~ " + InfluxQl.Regex(regex));
        return await FirstColumnAsync(database, statement, cancellationToken);
    }

    /// <summary><c>SHOW FIELD KEYS</c> of one measurement: field key and type (float, integer, unsigned, string, boolean).</summary>
    public async Task<IReadOnlyList<(string Key, string Type)>> ShowFieldKeysAsync(string database, string? retentionPolicy, string measurement, CancellationToken cancellationToken)
    {
        var keys = new List<(string, string)>();
        await foreach (var series in QueryAsync(database, "SHOW FIELD KEYS FROM " + InfluxQl.From(database, retentionPolicy, measurement), cancellationToken))
        {
            var key = series.ColumnIndex("fieldKey");
            var type = series.ColumnIndex("fieldType");
            keys.AddRange(series.Values.Select(row => ((string)row[key]!, (string)row[type]!)));
        }
        return keys;
    }

    /// <summary><c>SHOW SERIES</c> of one measurement: the line-protocol series keys.</summary>
    public async Task<IReadOnlyList<string>> ShowSeriesAsync(string database, string measurement, CancellationToken cancellationToken) =>
        await FirstColumnAsync(database, "SHOW SERIES FROM " + InfluxQl.Identifier(measurement), cancellationToken);

    /// <summary><c>SHOW TAG VALUES</c> of one tag key in one measurement.</summary>
    public async Task<IReadOnlyList<string>> ShowTagValuesAsync(string database, string measurement, string tagKey, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        var statement = $"SHOW TAG VALUES FROM {InfluxQl.Identifier(measurement)} WITH KEY = {InfluxQl.Identifier(tagKey)}";
        await foreach (var series in QueryAsync(database, statement, cancellationToken))
        {
            var value = series.ColumnIndex("value");
            values.AddRange(series.Values.Select(row => (string)row[value]!));
        }
        return values;
    }

    private async Task<IReadOnlyList<string>> FirstColumnAsync(string database, string statement, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await foreach (var series in QueryAsync(database, statement, cancellationToken))
        {
            values.AddRange(series.Values.Select(row => row[0] as string).OfType<string>());
        }
        return values;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (BaseAddress is null)
        {
            throw new InvalidOperationException("Ingest:Influx:Url is not set.");
        }
        try
        {
            return await clients.CreateClient(HttpClientName).SendAsync(message, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {BaseAddress} is unreachable: {e.Message} (check Ingest:Influx:Url)", e);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {BaseAddress} did not answer within Ingest:Influx:Timeout={_options.Timeout}", e);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException e)
        {
            throw new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {BaseAddress} keeps failing; requests are paused briefly: {e.Message}", e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = ErrorMessage(body);
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new InfluxException(InfluxErrorKind.Unauthorized,
                $"InfluxDB at {BaseAddress} refused the credentials for {what}: {message} (check Ingest:Influx:Username/Password or Ingest:Influx:Token)"),
            HttpStatusCode.NotFound when message.StartsWith("database not found", StringComparison.Ordinal) =>
                InfluxResponseReader.QueryError(message),
            HttpStatusCode.RequestEntityTooLarge => new InfluxException(InfluxErrorKind.TooLarge,
                $"InfluxDB refused the {what} as too large: {message} (lower Ingest:Influx:WriteBatchSize)"),
            HttpStatusCode.BadRequest when what.StartsWith("write", StringComparison.Ordinal) => new InfluxException(InfluxErrorKind.WriteRejected,
                $"InfluxDB rejected the {what}: {message}"),
            HttpStatusCode.BadRequest => InfluxResponseReader.QueryError(message),
            _ => new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {BaseAddress} answered {(int)response.StatusCode} to {what}: {message}"),
        };
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.GetString() is { } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }
        return body.Trim();
    }

    private static byte[] Gzip(ReadOnlySpan<byte> bytes)
    {
        using var output = new MemoryStream(bytes.Length / 4 + 64);
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        {
            zip.Write(bytes);
        }
        return output.ToArray();
    }
}
