using Google.Protobuf;
using MetaAnomaly.Ingest.Push.Prometheus;
using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Tests.Push;

public sealed class RemoteWriteDecoderTests
{
    private const long MaxBytes = 1 << 20;
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    internal static TimeSeries Series(string? name, (string Name, string Value)[] labels, params (double Value, long Timestamp)[] samples)
    {
        var series = new TimeSeries();
        if (name is not null)
        {
            series.Labels.Add(new Label { Name = "__name__", Value = name });
        }
        series.Labels.Add(labels.Select(l => new Label { Name = l.Name, Value = l.Value }));
        series.Samples.Add(samples.Select(s => new Sample { Value = s.Value, Timestamp = s.Timestamp }));
        return series;
    }

    internal static byte[] Body(params TimeSeries[] series)
    {
        var request = new WriteRequest();
        request.Timeseries.Add(series);
        return IronSnappy.Snappy.Encode(request.ToByteArray());
    }

    [Fact]
    public void TheMetricNameIsTheMeasurementAndTheLabelsAreTagsOfTheFieldValue()
    {
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode(
            Body(Series("http_requests_total", [("job", "api"), ("code", "200")], (1.5, Now - 1000), (2.5, Now))), MaxBytes, points);

        Assert.Equal(0, decoding.Malformed);
        var key = new SeriesKey("http_requests_total", [new("code", "200"), new("job", "api")], "value");
        Assert.Equal(
            [new DataPoint(key, DateTimeOffset.FromUnixTimeMilliseconds(Now - 1000), 1.5), new DataPoint(key, DateTimeOffset.FromUnixTimeMilliseconds(Now), 2.5)],
            points);
    }

    [Fact]
    public void ALabelWithAnEmptyValueIsAbsentAsInPrometheus()
    {
        var points = new List<DataPoint>();

        new RemoteWriteDecoder().Decode(Body(Series("up", [("job", "a"), ("instance", "")], (1, Now))), MaxBytes, points);

        Assert.Equal(new SeriesKey("up", [new("job", "a")], "value"), Assert.Single(points).Key);
    }

    [Fact]
    public void StaleMarkersAndNaNAreCountedAsNonNumericAndSkipped()
    {
        var staleMarker = BitConverter.Int64BitsToDouble(0x7ff0000000000002);
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode(
            Body(Series("up", [], (staleMarker, Now - 2000), (double.NaN, Now - 1000), (double.PositiveInfinity, Now), (3, Now))), MaxBytes, points);

        Assert.Equal(0, decoding.Malformed);
        Assert.Equal(3, decoding.NonNumericFields);
        Assert.Equal(3, Assert.Single(points).Value);
    }

    [Fact]
    public void AMalformedSeriesIsReportedAndTheOthersAreKept()
    {
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode(Body(
            Series(null, [("job", "a")], (1, Now)),
            Series("up", [("job", "a"), ("job", "b")], (1, Now)),
            Series("up", [("", "x")], (1, Now)),
            Series("up", [("job", "good")], (7, Now))), MaxBytes, points);

        Assert.Equal(3, decoding.Malformed);
        Assert.Equal(
            ["time series 1: no metric name (label __name__)", "time series 2: the label job appears twice", "time series 3: a label has an empty name"],
            decoding.Problems);
        Assert.Equal(7, Assert.Single(points).Value);
    }

    [Fact]
    public void ATimestampOutsideTheCalendarIsReportedWithItsSeries()
    {
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode(Body(Series("up", [("job", "a")], (1, long.MaxValue), (2, Now))), MaxBytes, points);

        Assert.Equal($"time series 1 (up,job=a#value): timestamp {long.MaxValue} ms out of range", Assert.Single(decoding.Problems));
        Assert.Equal(2, Assert.Single(points).Value);
    }

    [Fact]
    public void ABodyThatIsNotSnappyIsRefusedWhole()
    {
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode("cpu value=1\n"u8, MaxBytes, points);

        Assert.Equal(1, decoding.Malformed);
        Assert.StartsWith("the body is not a snappy-compressed protobuf WriteRequest", Assert.Single(decoding.Problems));
        Assert.Empty(points);
    }

    [Fact]
    public void UncompressedProtobufIsRefusedWhole()
    {
        var request = new WriteRequest();
        request.Timeseries.Add(Series("up", [("job", "a")], (1, Now)));
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode(request.ToByteArray(), MaxBytes, points);

        Assert.Equal(1, decoding.Malformed);
        Assert.Empty(points);
    }

    [Fact]
    public void ABodyThatDecompressesPastTheLimitIsRefusedBeforeDecompression()
    {
        var series = Enumerable.Range(0, 2000).Select(i => Series("up", [("job", $"job-{i}")], (1, Now))).ToArray();
        var body = Body(series);
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder().Decode(body, maxDecodedBytes: 1000, points);

        Assert.Matches(@"^the body decompresses to \d+ bytes, over Ingest:Push:MaxBodyBytes=1000$", Assert.Single(decoding.Problems));
        Assert.Empty(points);
    }

    [Fact]
    public void AKnownSeriesKeepsItsKeyAndAnInvalidOneIsNeverRemembered()
    {
        var decoder = new RemoteWriteDecoder();
        var first = new List<DataPoint>();
        var second = new List<DataPoint>();

        decoder.Decode(Body(Series("up", [("job", "a")], (1, Now)), Series("up", [("job", "a"), ("job", "a")], (1, Now))), MaxBytes, first);
        var again = decoder.Decode(Body(Series("up", [("job", "a")], (2, Now)), Series("up", [("job", "a"), ("job", "a")], (2, Now))), MaxBytes, second);

        Assert.Same(Assert.Single(first).Key, Assert.Single(second).Key);
        Assert.Equal(1, again.Malformed);
    }

    [Fact]
    public void ProblemsBeyondTheReportedCountAreSummarised()
    {
        var series = Enumerable.Range(0, RemoteWriteDecoder.MaxReportedProblems + 5).Select(_ => Series(null, [("job", "a")], (1, Now))).ToArray();

        var decoding = new RemoteWriteDecoder().Decode(Body(series), MaxBytes, []);

        Assert.Equal(RemoteWriteDecoder.MaxReportedProblems + 5, decoding.Malformed);
        Assert.Equal(RemoteWriteDecoder.MaxReportedProblems + 1, decoding.Problems.Count);
        Assert.Equal("5 more malformed time series or samples not listed", decoding.Problems[^1]);
    }

    [Fact]
    public void ASeriesWhoseLabelsExceedTheKeyLimitIsRefusedAndTheOthersAreKept()
    {
        var points = new List<DataPoint>();

        var decoding = new RemoteWriteDecoder(maxKeyBytes: 64).Decode(
            Body(Series("up", [("job", new string('x', 100))], (1, Now)), Series("up", [("job", "a")], (2, Now))), MaxBytes, points);

        Assert.Equal(1, decoding.Malformed);
        Assert.Contains("over Ingest:Push:MaxKeyBytes=64", Assert.Single(decoding.Problems));
        Assert.Equal(new SeriesKey("up", [new("job", "a")], "value"), Assert.Single(points).Key);
    }
}
