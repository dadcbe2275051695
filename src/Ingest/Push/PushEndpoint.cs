using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using MetaAnomaly.Shared.Telemetry;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// Serves a write for any <see cref="IPushProtocol"/>, answering as InfluxDB does: 401 without the writer key
/// (<c>Ingest:Push:Token</c> when set, and the host's writer policy when one is given), 403 for a key that may not
/// write, the protocol's refusal (400, 404), 413 over <c>Ingest:Push:MaxBodyBytes</c> before or after gzip
/// decompression, 204 when every point was taken, and 400 listing the malformed lines and skipped points of a partial
/// write (the good points are kept). Both answers come only once the accepted points are in the write-ahead log
/// (<see cref="IDurableIngestor"/>); 500 when it fails. Every refusal is in the protocol's error shape.
/// </summary>
public sealed partial class PushEndpoint(
    IDurableIngestor ingestor,
    IngestCounters counters,
    IOptions<IngestOptions> options,
    TimeProvider clock,
    ILogger<PushEndpoint> logger)
{
    private readonly ObjectPool<List<DataPoint>> _pointLists = new DefaultObjectPoolProvider().Create(new PointListPolicy());

    /// <param name="writerPolicy">The authorization policy a writer's identity must meet; null: only <c>Ingest:Push:Token</c>.</param>
    public async Task<IResult> HandleAsync(HttpContext context, IPushProtocol protocol, string? writerPolicy)
    {
        var push = options.Value.Push;
        var refusal = await AuthorizeAsync(context, push.Token, writerPolicy) ?? protocol.Refuse(context.Request);
        if (refusal is { } refused)
        {
            return protocol.Error(refused);
        }

        using var body = await PushBody.ReadAsync(context.Request, push.MaxBodyBytes, context.RequestAborted);
        if (body.Failure is { } unreadable)
        {
            return protocol.Error(unreadable);
        }

        var points = _pointLists.Get();
        PushDecoding decoding;
        IngestOutcome outcome;
        try
        {
            decoding = protocol.Decode(context.Request, body.Bytes, clock.GetUtcNow(), points);
            outcome = await ingestor.IngestAsync(CollectionsMarshal.AsSpan(points), context.RequestAborted);
        }
        catch (IOException e)
        {
            LogNotDurable(protocol.Route, e);
            return protocol.Error(new PushFailure(StatusCodes.Status500InternalServerError, $"points not durable, retry the write: the write-ahead log failed: {e.Message}"));
        }
        finally
        {
            _pointLists.Return(points);
        }
        ProductMetrics.Ingested(protocol.Name, outcome.Accepted);
        counters.AddNonNumericFields(decoding.NonNumericFields);

        var problems = new List<string>();
        if (decoding.Malformed > 0)
        {
            counters.AddRejectedLines(decoding.Malformed);
            problems.AddRange(decoding.Problems);
            LogMalformed(protocol.Route, decoding.Malformed, decoding.Problems.FirstOrDefault() ?? "");
        }
        if (outcome.SkippedOutOfRange > 0)
        {
            problems.Add($"{outcome.SkippedOutOfRange} points with timestamps outside the plausible range (Ingest:Timestamps) dropped");
        }
        if (outcome.SkippedNotFinite > 0)
        {
            problems.Add($"{outcome.SkippedNotFinite} NaN or infinite values dropped");
        }
        if (outcome.SkippedTooOld > 0)
        {
            problems.Add($"{outcome.SkippedTooOld} points older than their series' buffer holds (Ingest:Buffers:Capacity={options.Value.Buffers.Capacity} slots) dropped");
        }
        if (outcome.SkippedOverCapacity > 0)
        {
            var buffers = options.Value.Buffers;
            problems.Add($"max-series limit exceeded: (Ingest:Buffers:MaxMemoryMegabytes={buffers.MaxMemoryMegabytes} at Ingest:Buffers:Capacity={buffers.Capacity}) dropped={outcome.SkippedOverCapacity}");
        }
        return problems.Count == 0
            ? Results.NoContent()
            : protocol.Error(new PushFailure(StatusCodes.Status400BadRequest, $"partial write: {string.Join("; ", problems)} (accepted={outcome.Accepted})"));
    }

    private static async Task<PushFailure?> AuthorizeAsync(HttpContext context, string? token, string? writerPolicy)
    {
        if (token is { Length: > 0 } && !(PushCredentials.Presented(context.Request) is { } presented && Same(presented, token)))
        {
            return new PushFailure(StatusCodes.Status401Unauthorized, "authorization failed: a valid Ingest:Push:Token is required");
        }
        if (writerPolicy is null)
        {
            return null;
        }
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        if ((await authorization.AuthorizeAsync(context.User, writerPolicy)).Succeeded)
        {
            return null;
        }
        return context.User.Identity?.IsAuthenticated == true
            ? new PushFailure(StatusCodes.Status403Forbidden, "insufficient permissions: this key may not write points")
            : new PushFailure(StatusCodes.Status401Unauthorized, "authorization failed: a valid writer key is required");
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    [LoggerMessage(Level = LogLevel.Error, Message = "POST {Route}: the write-ahead log failed; answered 500")]
    private partial void LogNotDurable(string route, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POST {Route}: {Count} malformed lines skipped, first: {First}")]
    private partial void LogMalformed(string route, int count, string first);
}
