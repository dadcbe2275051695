using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Shared.Series;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace MetaAnomaly.Ingest.Wal;

/// <summary>
/// The ingestion write-ahead log: append-only segment files in the <c>wal</c> folder beside <c>Ingest:StatePath</c>.
/// One writer task takes every record queued since its last pass, writes them and syncs once (group commit); an append
/// completes after that sync. <see cref="OpenAsync"/> replays the segments left by the previous run (a torn or
/// corrupt tail is cut off with a warning) and starts a new one; <see cref="RotateAsync"/> and
/// <see cref="DeleteThrough"/> let the buffer snapshot drop the segments it covers.
/// </summary>
internal sealed partial class WriteAheadLog : IAsyncDisposable, IDisposable
{
    private const string Extension = ".wal";

    private static ReadOnlySpan<byte> Magic => "MAWAL01\n"u8;

    private readonly Channel<WalRequest> _requests = Channel.CreateUnbounded<WalRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly long _segmentBytesLimit;
    private readonly ILogger<WriteAheadLog> _logger;
    private FileStream? _segment;
    private long _segmentId;
    private Task? _writer;

    public WriteAheadLog(IOptions<IngestOptions> options, IHostEnvironment environment, ILogger<WriteAheadLog> logger)
        : this(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Value.StatePath, environment.ContentRootPath))!, "wal"),
            options.Value.Wal.SegmentMegabytes * 1024L * 1024, logger)
    {
    }

    public WriteAheadLog(string folder, long segmentBytesLimit, ILogger<WriteAheadLog> logger)
    {
        Folder = folder;
        _segmentBytesLimit = segmentBytesLimit;
        _logger = logger;
    }

    public string Folder { get; }

    /// <summary>
    /// Replays every segment in order into <paramref name="apply"/>, then opens a new segment and starts writing
    /// (appends made before wait for this).
    /// </summary>
    public async Task<WalReplay> OpenAsync(Action<List<DataPoint>> apply, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var segments = Segments();
        var keys = new Dictionary<string, SeriesKey>(StringComparer.Ordinal);
        long records = 0, points = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var (id, path) = segments[i];
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var good = Replay(bytes, keys, apply, ref records, ref points);
            if (good < bytes.Length)
            {
                var last = i == segments.Count - 1;
                LogTornRecord(path, good, bytes.Length - good, last ? "the torn tail is cut off" : "the rest of this segment is skipped");
                if (last)
                {
                    using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
                    file.SetLength(good);
                    file.Flush(flushToDisk: true);
                }
            }
            _segmentId = id;
        }
        OpenSegment(_segmentId + 1);
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return new WalReplay(segments.Count, records, points);
    }

    /// <summary>Completes once the points are on disk (fsync).</summary>
    public Task AppendAsync(ReadOnlySpan<DataPoint> points, CancellationToken cancellationToken)
    {
        var frame = WalRecord.Encode(points);
        var request = new WalRequest(frame);
        if (!_requests.Writer.TryWrite(request))
        {
            ArrayPool<byte>.Shared.Return(frame.Buffer);
            throw new InvalidOperationException("The write-ahead log is closed.");
        }
        return request.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a new segment and returns the id of the one it closed: every record appended before this call is in a
    /// segment with that id or a lower one.
    /// </summary>
    public async Task<long> RotateAsync(CancellationToken cancellationToken)
    {
        var request = new WalRequest(null);
        if (!_requests.Writer.TryWrite(request))
        {
            throw new InvalidOperationException("The write-ahead log is closed.");
        }
        return await request.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Deletes the segments up to <paramref name="segmentId"/>, which a saved buffer snapshot covers.</summary>
    public void DeleteThrough(long segmentId)
    {
        foreach (var (id, path) in Segments())
        {
            if (id <= segmentId && id < Volatile.Read(ref _segmentId))
            {
                File.Delete(path);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }
        _segment?.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static long Replay(byte[] bytes, Dictionary<string, SeriesKey> keys, Action<List<DataPoint>> apply, ref long records, ref long points)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return 0;
        }
        var offset = Magic.Length;
        while (bytes.Length - offset >= WalRecord.HeaderBytes)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + sizeof(int)));
            if (length < 0 || length > bytes.Length - offset - WalRecord.HeaderBytes)
            {
                break;
            }
            var payload = bytes.AsSpan(offset + WalRecord.HeaderBytes, length);
            if (Crc32C.Of(payload) != crc)
            {
                break;
            }
            var batch = WalRecord.Decode(payload, keys);
            apply(batch);
            records++;
            points += batch.Count;
            offset += WalRecord.HeaderBytes + length;
        }
        return offset;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<WalRequest>();
        var reader = _requests.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var request))
            {
                batch.Add(request);
            }
            try
            {
                var results = new long[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch[i].Frame is { } frame)
                    {
                        _segment!.Write(frame.Buffer, 0, frame.Length);
                    }
                    else
                    {
                        results[i] = _segmentId;
                        OpenSegment(_segmentId + 1);
                    }
                }
                Sync(_segment!);
                if (_segment!.Length >= _segmentBytesLimit)
                {
                    OpenSegment(_segmentId + 1);
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                LogWriteFailed(e, Folder);
                foreach (var request in batch)
                {
                    request.Done.TrySetException(e);
                }
                StartOverAfterFailure();
            }
            finally
            {
                foreach (var request in batch)
                {
                    if (request.Frame is { } frame)
                    {
                        ArrayPool<byte>.Shared.Return(frame.Buffer);
                    }
                }
                batch.Clear();
            }
        }
    }

    /// <summary>A failed write may leave a partial record: later records go to a new segment, so replay still reaches them.</summary>
    private void StartOverAfterFailure()
    {
        try
        {
            OpenSegment(_segmentId + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(e, Folder);
        }
    }

    /// <summary>Closes the current segment (fsynced) and starts segment <paramref name="id"/>.</summary>
    private void OpenSegment(long id)
    {
        if (_segment is not null)
        {
            Sync(_segment);
            _segment.Dispose();
        }
        var segment = new FileStream(Path.Combine(Folder, id.ToString("D20", CultureInfo.InvariantCulture) + Extension),
            FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20);
        segment.Write(Magic);
        _segment = segment;
        Volatile.Write(ref _segmentId, id);
    }

    /// <summary>
    /// Writes the stream's buffer and waits for the disk: <c>fdatasync</c> on Linux (the data and the file size, not
    /// the timestamps: a third of fsync's time here, as PostgreSQL's default WAL sync), fsync elsewhere.
    /// </summary>
    private static void Sync(FileStream segment)
    {
        if (!OperatingSystem.IsLinux())
        {
            segment.Flush(flushToDisk: true);
            return;
        }
        segment.Flush(flushToDisk: false);
        if (FDataSync(segment.SafeFileHandle) != 0)
        {
            throw new IOException($"fdatasync of {segment.Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FDataSync(SafeFileHandle handle);

    private List<(long Id, string Path)> Segments() =>
        Directory.EnumerateFiles(Folder, "*" + Extension)
            .Select(path => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id), Id: id, Path: path))
            .Where(s => s.Ok)
            .Select(s => (s.Id, s.Path))
            .OrderBy(s => s.Id)
            .ToList();

    private sealed class WalRequest(WalFrame? frame)
    {
        public WalFrame? Frame { get; } = frame;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-ahead log segment {Path}: the record at byte {Offset} is torn or corrupt ({Bytes} bytes); {Action}")]
    private partial void LogTornRecord(string path, long offset, long bytes, string action);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the write-ahead log in {Folder} failed; the writes waiting on it are answered with an error")]
    private partial void LogWriteFailed(Exception exception, string folder);
}

/// <summary>What <see cref="WriteAheadLog.OpenAsync"/> replayed.</summary>
internal readonly record struct WalReplay(int Segments, long Records, long Points);
