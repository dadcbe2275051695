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
/// v1-compatibility endpoints and by 3.x. A typed <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>, whose
/// resilience handler retries transient failures (connection errors, 5xx, 429, timeouts) with exponential backoff and
/// jitter; everything else becomes an <see cref="InfluxException"/> that says what to check.
/// </summary>
public sealed class InfluxClient
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;

    public InfluxClient(HttpClient http, IOptions<IngestOptions> options)
    {
        _http = http;
        _options = options.Value.Influx;
        if (!string.IsNullOrWhiteSpace(_options.Url))
        {
            _http.BaseAddress ??= new Uri(_options.Url.TrimEnd('/') + "/");
        }
        if (!string.IsNullOrEmpty(_options.Token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", _options.Token);
        }
        else if (!string.IsNullOrEmpty(_options.Username))
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
    }

    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>The server's version (<c>X-Influxdb-Version</c>).</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "ping"), HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, "ping", cancellationToken);
        return response.Headers.TryGetValues("X-Influxdb-Version", out var versions) ? versions.FirstOrDefault() ?? "" : "";
    }

    /// <summary>Writes a line-protocol body (gzip-compressed on the wire) at the given precision.</summary>
    public async Task WriteAsync(string database, string? retentionPolicy, ReadOnlyMemory<byte> lines, string precision, CancellationToken cancellationToken)
    {
        var compressed = Gzip(lines.Span);
        var query = $"write?db={Uri.EscapeDataString(database)}&precision={precision}"
            + (string.IsNullOrEmpty(retentionPolicy) ? "" : "&rp=" + Uri.EscapeDataString(retentionPolicy));
        using var response = await SendAsync(() =>
        {
            var content = new ByteArrayContent(compressed);
            content.Headers.ContentEncoding.Add("gzip");
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            return new HttpRequestMessage(HttpMethod.Post, query) { Content = content };
        }, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, $"write to database '{database}'", cancellationToken);
    }

    /// <summary>
    /// Runs an InfluxQL query with <c>epoch=ns</c> and <c>chunked=true</c>, yielding series as chunks arrive.
    /// </summary>
    public async IAsyncEnumerable<InfluxSeries> QueryAsync(string database, string influxQl, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"query?db={Uri.EscapeDataString(database)}&epoch=ns&chunked=true&chunk_size={_options.QueryChunkSize}&q={Uri.EscapeDataString(influxQl)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path), HttpCompletionOption.ResponseContentRead, cancellationToken);
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

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (_http.BaseAddress is null)
        {
            throw new InvalidOperationException("Ingest:Influx:Url is not set.");
        }
        using var message = request();
        try
        {
            return await _http.SendAsync(message, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {_http.BaseAddress} is unreachable: {e.Message} (check Ingest:Influx:Url)", e);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {_http.BaseAddress} did not answer within Ingest:Influx:Timeout={_options.Timeout}", e);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException e)
        {
            throw new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {_http.BaseAddress} keeps failing; requests are paused briefly: {e.Message}", e);
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
                $"InfluxDB at {_http.BaseAddress} refused the credentials for {what}: {message} (check Ingest:Influx:Username/Password or Ingest:Influx:Token)"),
            HttpStatusCode.NotFound when message.StartsWith("database not found", StringComparison.Ordinal) =>
                InfluxResponseReader.QueryError(message),
            HttpStatusCode.RequestEntityTooLarge => new InfluxException(InfluxErrorKind.TooLarge,
                $"InfluxDB refused the {what} as too large: {message} (lower Ingest:Influx:WriteBatchSize)"),
            HttpStatusCode.BadRequest when what.StartsWith("write", StringComparison.Ordinal) => new InfluxException(InfluxErrorKind.WriteRejected,
                $"InfluxDB rejected the {what}: {message}"),
            HttpStatusCode.BadRequest => InfluxResponseReader.QueryError(message),
            _ => new InfluxException(InfluxErrorKind.Unreachable, $"InfluxDB at {_http.BaseAddress} answered {(int)response.StatusCode} to {what}: {message}"),
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
