using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;

namespace MetaAnomaly.Cluster.Tests.Support;

/// <summary>
/// Writes one point of each of <see cref="SeriesCount"/> series per step (a seeded sine of <see cref="Period"/> steps, a step a second
/// from three hours ago), round-robin over the nodes not excluded, each batch until a node answers 204 (a refused
/// or broken write is sent again, to the next node). Only 204-answered points count as acknowledged.
/// </summary>
public sealed class SeriesPusher(IReadOnlyList<NodeProcess> nodes, ITestOutputHelper output)
{
    public const int SeriesCount = 24;
    public const int Period = 20;
    private const int HistoryStepsPerWrite = 30;
    private const double SpikeHeight = 400;
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds());
    private readonly List<Point> _acknowledged = [];
    private readonly HashSet<NodeProcess> _excluded = [];
    private int _refused;
    private int _next;
    private int _step;
    private volatile int _spikeFrom = int.MaxValue;
    private volatile int _spikeTo = int.MaxValue;

    public readonly record struct Point(string Series, long Ticks);

    public int Refused => Volatile.Read(ref _refused);

    public int AcknowledgedCount
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.Count;
            }
        }
    }

    public IReadOnlyList<Point> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.ToArray();
            }
        }
    }

    /// <summary>The timestamp of the latest point a node answered 204 for.</summary>
    public DateTimeOffset LatestAcknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return new DateTimeOffset(_acknowledged.Max(p => p.Ticks), TimeSpan.Zero);
            }
        }
    }

    public static string SeriesKey(int i) => $"load,host=h{i:00}#value";

    public void Exclude(NodeProcess node)
    {
        lock (_excluded)
        {
            _excluded.Add(node);
        }
    }

    public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (AcknowledgedCount < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {AcknowledgedCount} of {count} points acknowledged within {timeout}");
            await Task.Delay(200);
        }
    }

    /// <summary>The first <paramref name="steps"/> steps, several to a write.</summary>
    public async Task PushHistoryAsync(int steps)
    {
        for (; _step < steps; _step += HistoryStepsPerWrite)
        {
            await WriteAsync(Enumerable.Range(_step, Math.Min(HistoryStepsPerWrite, steps - _step)).ToArray(), CancellationToken.None);
        }
        _step = steps;
    }

    /// <summary>Raises every series by <see cref="SpikeHeight"/> over the next <paramref name="steps"/> live steps; their first and last timestamps.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)> SpikeAsync(int steps)
    {
        var from = Volatile.Read(ref _step) + 2;
        _spikeTo = from + steps - 1;
        _spikeFrom = from;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (Volatile.Read(ref _step) <= _spikeTo)
        {
            Assert.True(DateTime.UtcNow < deadline, "the spike was not pushed within a minute");
            await Task.Delay(100);
        }
        return (Start.AddSeconds(from), Start.AddSeconds(_spikeTo));
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await WriteAsync([_step], stop))
            {
                Volatile.Write(ref _step, _step + 1);
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Writes the steps until a node answers 204; false when stopped first.</summary>
    private async Task<bool> WriteAsync(int[] steps, CancellationToken stop)
    {
        var body = new StringBuilder();
        foreach (var step in steps)
        {
            var at = Start.AddSeconds(step).ToUnixTimeSeconds();
            for (var i = 0; i < SeriesCount; i++)
            {
                body.Append(CultureInfo.InvariantCulture, $"load,host=h{i:00} value={Value(i, step):F3} {at}\n");
            }
        }
        while (!stop.IsCancellationRequested)
        {
            var node = NextNode();
            if (await TryWriteAsync(node, body.ToString()))
            {
                lock (_acknowledged)
                {
                    _acknowledged.AddRange(steps.SelectMany(step => Enumerable.Range(0, SeriesCount).Select(i => new Point(SeriesKey(i), Start.AddSeconds(step).UtcTicks))));
                }
                return true;
            }
            Interlocked.Increment(ref _refused);
        }
        return false;
    }

    private double Value(int series, int step)
    {
        var noise = ((step * 7919 + series * 104729) % 1000 / 1000.0 - 0.5) * 0.8;
        var spike = step >= _spikeFrom && step <= _spikeTo ? SpikeHeight : 0;
        return 50 + series + 10 * Math.Sin(2 * Math.PI * step / Period) + noise + spike;
    }

    private NodeProcess NextNode()
    {
        lock (_excluded)
        {
            var live = nodes.Where(n => !_excluded.Contains(n)).ToArray();
            return live[_next++ % live.Length];
        }
    }

    private async Task<bool> TryWriteAsync(NodeProcess node, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/write?db=test&precision=s") { Content = new StringContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:" + node.WriterKey)));
        try
        {
            using var response = await node.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return true;
            }
            output.WriteLine($"{node.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            output.WriteLine($"{node.Name}: {e.Message}");
        }
        return false;
    }
}
