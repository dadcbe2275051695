using System.Text;
using MetaAnomaly.Ingest.Influx;

namespace MetaAnomaly.Ingest.Tests.Influx;

public sealed class InfluxResponseReaderTests
{
    private static async Task<List<InfluxSeries>> ReadAsync(string body)
    {
        var series = new List<InfluxSeries>();
        await foreach (var s in InfluxResponseReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None))
        {
            series.Add(s);
        }
        return series;
    }

    [Fact]
    public async Task ReadsEveryChunkWithTypedCells()
    {
        var body =
            """{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","usage","up","note"],"values":[[1700000000000000000,0.5,true,"x"],[1700000000000000001,2,false,null]],"partial":true}],"partial":true}]}""" + "\n" +
            """{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","usage","up","note"],"values":[[1700000000000000002,-1e3,true,"y"]]}]}]}""";

        var series = await ReadAsync(body);

        Assert.Equal(2, series.Count);
        Assert.All(series, s => Assert.Equal("a", s.Tags["host"]));
        Assert.Equal([1700000000000000000L, 0.5, true, "x"], series[0].Values[0]);
        Assert.Equal([1700000000000000001L, 2.0, false, null], series[0].Values[1]);
        Assert.Equal(-1000.0, series[1].Values[0][1]);
    }

    [Fact]
    public async Task AnEmptyResultHasNoSeries() =>
        Assert.Empty(await ReadAsync("""{"results":[{"statement_id":0}]}""" + "\n"));

    [Theory]
    [InlineData("""{"results":[{"statement_id":0,"error":"database not found: nope"}]}""", InfluxErrorKind.DatabaseNotFound)]
    [InlineData("""{"error":"error parsing query: found SELEC"}""", InfluxErrorKind.QueryFailed)]
    public async Task ErrorsInTheResultBecomeClearExceptions(string body, InfluxErrorKind kind)
    {
        var error = await Assert.ThrowsAsync<InfluxException>(() => ReadAsync(body));
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public async Task SeriesBeforeAnErrorInALaterChunkAreStillDelivered()
    {
        var delivered = new List<InfluxSeries>();
        var body =
            """{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,1]]}],"partial":true}]}""" + "\n" +
            """{"results":[{"statement_id":0,"error":"max-select-point limit exceeeded"}]}""" + "\n";

        await Assert.ThrowsAsync<InfluxException>(async () =>
        {
            await foreach (var s in InfluxResponseReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None))
            {
                delivered.Add(s);
            }
        });
        Assert.Single(delivered);
    }
}
