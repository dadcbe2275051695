using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MetaAnomaly.Ingest.Push;

/// <summary>
/// A pushed request body read into a pooled buffer, gunzipped when <c>Content-Encoding: gzip</c>. The size limit holds
/// after decompression, so a small gzip bomb is refused as soon as it inflates past it. Dispose returns the buffer.
/// </summary>
public sealed class PushBody : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    private byte[] _buffer;
    private int _length;

    private PushBody(byte[] buffer) => _buffer = buffer;

    /// <summary>The decompressed body.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>Why the body was refused (413 over the limit, 400 for broken gzip); null when it was read whole.</summary>
    public PushFailure? Failure { get; private set; }

    /// <summary>Reads the body of <paramref name="request"/>, holding it to <paramref name="maxBytes"/> before and after decompression.</summary>
    public static async Task<PushBody> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return new PushBody(ArrayPool<byte>.Shared.Rent(0)) { Failure = TooLarge(maxBytes, request.ContentLength) };
        }
        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        // A plain body of known length is read into one buffer of its size (plus the byte that sees its end), not grown by doubling.
        var body = new PushBody(ArrayPool<byte>.Shared.Rent(!gzip && request.ContentLength is { } length ? (int)Math.Min(length + 1, Array.MaxLength) : InitialBufferBytes));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        await using var source = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        try
        {
            await body.FillAsync(source ?? request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Failure = TooLarge(maxBytes, null);
        }
        catch (InvalidDataException)
        {
            body.Failure = new PushFailure(StatusCodes.Status400BadRequest, "the body is not valid gzip");
        }
        return body;
    }

    private async Task FillAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_length == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Bytes.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            var read = await source.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
            if (read == 0)
            {
                return;
            }
            _length += read;
            if (_length > maxBytes)
            {
                Failure = TooLarge(maxBytes, null);
                return;
            }
        }
    }

    private static PushFailure TooLarge(long maxBytes, long? length) => new(StatusCodes.Status413PayloadTooLarge,
        length is { } declared
            ? $"request body of {declared} bytes exceeds Ingest:Push:MaxBodyBytes={maxBytes}"
            : $"request body exceeds Ingest:Push:MaxBodyBytes={maxBytes}");

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
    }
}
