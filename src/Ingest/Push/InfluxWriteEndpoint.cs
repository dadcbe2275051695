using System.Buffers;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.LineProtocol;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// <c>POST /write</c>, InfluxDB 1.x's write endpoint, so that an InfluxDB subscription or Telegraf's influxdb output
/// streams points to MetaAnomaly. Answers as InfluxDB does: 204 when every line was taken; 400 with the line numbers
/// and reasons of malformed lines (the good lines are kept: a partial write); 413 over
/// <c>Ingest:Push:MaxBodyBytes</c> (after gzip decompression); 401 without <c>Ingest:Push:Token</c> when one is set.
/// </summary>
public static partial class InfluxWriteEndpoint
{
    /// <summary>Maps <c>POST /write</c>. The host attaches its authorization policy to the returned builder.</summary>
    public static RouteHandlerBuilder MapInfluxWrite(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/write", (Delegate)HandleAsync)
            .WithName("InfluxWrite")
            .WithSummary("InfluxDB 1.x line-protocol write (db, rp, precision; gzip bodies)")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status413PayloadTooLarge);

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<IngestOptions>>().Value.Push;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InfluxWriteEndpoint));
        if (options.Token is { Length: > 0 } token && !Authorized(context.Request, token))
        {
            return Error(StatusCodes.Status401Unauthorized, "authorization failed: a valid Ingest:Push:Token is required");
        }
        if (!Precision.TryParse(context.Request.Query["precision"], out var nanosecondsPerUnit))
        {
            return Error(StatusCodes.Status400BadRequest, $"invalid precision '{context.Request.Query["precision"]}': use ns, u, ms, s, m or h");
        }
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"request body of {context.Request.ContentLength} bytes exceeds Ingest:Push:MaxBodyBytes={options.MaxBodyBytes}");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBodyBytes;
        }

        var gzip = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        var body = await ReadBodyAsync(context.Request.Body, gzip, options.MaxBodyBytes, context.RequestAborted);
        try
        {
            if (body.Status is not null)
            {
                return body.Status.Value == StatusCodes.Status413PayloadTooLarge
                    ? Error(StatusCodes.Status413PayloadTooLarge, $"request body exceeds Ingest:Push:MaxBodyBytes={options.MaxBodyBytes}")
                    : Error(StatusCodes.Status400BadRequest, "the body is not valid gzip");
            }

            var points = new List<DataPoint>();
            var decoder = new PointDecoder(services.GetRequiredService<SeriesKeyCache>());
            var receivedAt = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var summary = decoder.Decode(body.Bytes.AsSpan(0, body.Length), nanosecondsPerUnit, receivedAt, points);
            var outcome = services.GetRequiredService<IPointIngestor>().Ingest(CollectionsMarshal.AsSpan(points));
            var counters = services.GetRequiredService<IngestCounters>();
            counters.AddNonNumericFields(summary.NonNumericFields);

            var problems = new List<string>();
            if (summary.MalformedLines > 0)
            {
                counters.AddRejectedLines(summary.MalformedLines);
                problems.AddRange(summary.Errors.Select(e => e.ToString()));
                LogMalformed(logger, summary.MalformedLines, summary.Errors[0].ToString());
            }
            if (outcome.SkippedOutOfRange > 0)
            {
                problems.Add($"{outcome.SkippedOutOfRange} points with timestamps outside the plausible range (Ingest:Timestamps) dropped");
            }
            if (outcome.SkippedNotFinite > 0)
            {
                problems.Add($"{outcome.SkippedNotFinite} NaN or infinite values dropped");
            }
            return problems.Count == 0
                ? Results.NoContent()
                : Error(StatusCodes.Status400BadRequest, $"partial write: {string.Join("; ", problems)} (accepted={outcome.Accepted})");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body.Bytes);
        }
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new WriteError(message), statusCode: status);

    private static bool Authorized(HttpRequest request, string token)
    {
        if (request.Query["p"] is { Count: > 0 } p && Same(p.ToString(), token))
        {
            return true;
        }
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Parameter is null)
        {
            return false;
        }
        return header.Scheme.ToLowerInvariant() switch
        {
            "token" or "bearer" => Same(header.Parameter, token),
            "basic" => TryDecodeBasicPassword(header.Parameter, out var password) && Same(password, token),
            _ => false,
        };
    }

    private static bool TryDecodeBasicPassword(string parameter, out string password)
    {
        password = "";
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = decoded.IndexOf(':');
            password = colon < 0 ? decoded : decoded[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static async Task<Body> ReadBodyAsync(Stream request, bool gzip, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        Stream source = gzip ? new GZipStream(request, CompressionMode.Decompress, leaveOpen: true) : request;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new Body(buffer, length, null);
                }
                length += read;
                if (length > maxBytes)
                {
                    return new Body(buffer, length, StatusCodes.Status413PayloadTooLarge);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Body(buffer, length, StatusCodes.Status413PayloadTooLarge);
        }
        catch (InvalidDataException)
        {
            return new Body(buffer, length, StatusCodes.Status400BadRequest);
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync();
            }
        }
    }

    private readonly record struct Body(byte[] Bytes, int Length, int? Status);

    private sealed record WriteError(string Error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST /write: {Count} malformed lines skipped, first: {First}")]
    private static partial void LogMalformed(ILogger logger, int count, string first);
}
