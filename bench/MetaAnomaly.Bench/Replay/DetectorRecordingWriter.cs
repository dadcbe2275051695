using System.Globalization;
using System.IO.Compression;
using System.Text;
using MetaAnomaly.Detection.Sinks;

namespace MetaAnomaly.Bench.Replay;

/// <summary>
/// A detection sink that writes what the detector received in every tick (<see cref="ScoringTick.Inputs"/>), stamped
/// with the tick's data time, to a <see cref="DetectorRecording"/> folder: <c>bench nab --record DIR</c>.
/// </summary>
public sealed class DetectorRecordingWriter : IDetectionSink, IDisposable
{
    private readonly StreamWriter _inputs;
    private readonly TimeProvider _time;

    public DetectorRecordingWriter(string folder, TimeProvider time)
    {
        Directory.CreateDirectory(folder);
        _inputs = new StreamWriter(new GZipStream(File.Create(Path.Combine(folder, DetectorRecording.InputsFile)), CompressionLevel.Fastest), Encoding.UTF8);
        _inputs.Write(DetectorRecording.Header);
        _inputs.Write('\n');
        _time = time;
    }

    public Task HandleAsync(ScoringTick tick, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        foreach (var input in tick.Inputs)
        {
            var forecast = input.Forecast;
            _inputs.Write(string.Create(CultureInfo.InvariantCulture,
                $"{now}\t{input.Key}\t{input.Timestamp.UtcTicks}\t{input.Value:R}\t{forecast.Value:R}\t{forecast.ResidualScale:R}\t{forecast.Anchor:R}\t{input.ClusterId}\t{(input.Priming ? 1 : 0)}\n"));
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _inputs.Dispose();
}
