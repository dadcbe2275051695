namespace MetaAnomaly.Detection.Scoring;

/// <summary>
/// The notable deviations among a series' latest points and whether the deviation memory had seen each, so that a
/// sustained score raised only by deviations seen before is discounted like those deviations themselves (a seen spike
/// stays in the sustained mean for a few points after it).
/// </summary>
internal sealed class SeenWindow(int length)
{
    private readonly Queue<(bool Notable, bool Seen)> _points = new();
    private int _notable;
    private int _seen;

    /// <summary>The window holds notable deviations and the memory had seen every one of them.</summary>
    public bool AllSeen => _seen > 0 && _seen == _notable;

    public void Add(bool notable, bool seen)
    {
        _points.Enqueue((notable, seen));
        Count(notable, seen, 1);
        if (_points.Count > length)
        {
            var (oldNotable, oldSeen) = _points.Dequeue();
            Count(oldNotable, oldSeen, -1);
        }
    }

    private void Count(bool notable, bool seen, int step)
    {
        _notable += notable ? step : 0;
        _seen += seen ? step : 0;
    }
}
