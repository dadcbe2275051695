namespace MetaAnomaly.Bench.Replay;

/// <summary>The product's clock during a replay: it reads the data time the replay has reached, never the wall clock.</summary>
public sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves data time forward (never back).</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        if (now > _now)
        {
            _now = now;
        }
    }
}
