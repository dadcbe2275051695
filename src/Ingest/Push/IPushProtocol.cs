using MetaAnomaly.Shared.Series;
using Microsoft.AspNetCore.Http;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// A write protocol that clients push points with, mapped at <see cref="Route"/>. Everything the protocols share
/// (writer-key authorization, body limits, gzip, ingestion, counters, the partial-write answer) is
/// <see cref="PushEndpoint"/>'s; a protocol only reads its parameters, decodes a body and shapes its error answers.
/// </summary>
public interface IPushProtocol
{
    /// <summary>The endpoint name (OpenAPI, logs), for example <c>InfluxWrite</c>.</summary>
    string Name { get; }

    /// <summary>The path clients POST to, for example <c>/write</c>.</summary>
    string Route { get; }

    /// <summary>One line for the OpenAPI document.</summary>
    string Summary { get; }

    /// <summary>Refuses a request whose parameters the protocol does not take, before its body is read; null to go on.</summary>
    PushFailure? Refuse(HttpRequest request);

    /// <summary>Decodes a (decompressed) body that <see cref="Refuse"/> let through, adding its points to <paramref name="points"/>.</summary>
    /// <param name="receivedAt">The timestamp of points that carry none.</param>
    PushDecoding Decode(HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset receivedAt, List<DataPoint> points);

    /// <summary>The answer to a failed or partial write, in the protocol's own error shape.</summary>
    IResult Error(PushFailure failure);
}
