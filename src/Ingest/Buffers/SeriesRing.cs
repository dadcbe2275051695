using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Ingest.Buffers;

/// <summary>
/// The latest <c>capacity</c> regular slots of one series. Until the step is known (the spacings of the first points
/// agree, <see cref="StepDetector.AgreedSpacingTicks"/>), points wait in a short list; then every point goes to the slot
/// nearest its timestamp on the grid <c>anchor + k * step</c>. The step found on the first points is provisional: the
/// first points are kept exactly as written until <c>pointsForStep * SettleFactor</c> of them have arrived, and one that
/// falls between the slots asks again: first points arriving out of order can agree on a multiple of the real step,
/// and a smaller step that divides it rebuilds the ring. A step restored from a snapshot is settled. A later write to the same slot
/// replaces the earlier one (last write wins); slots nobody wrote are NaN (gaps); a point older than the ring is
/// dropped. Every member locks this ring only, so writers of different series never contend.
/// </summary>
internal sealed class SeriesRing
{
    /// <summary>The step is settled once <c>pointsForStep</c> times this many points have arrived.</summary>
    private const int SettleFactor = 8;

    private readonly Lock _gate = new();
    private readonly int _pointsForStep;
    /// <summary>The first points exactly as written; null once the step is settled.</summary>
    private List<(long Ticks, double Value)>? _early = [];
    private double[] _slots;
    private long _stepTicks;
    private long _anchorTicks;
    private long _head = -1;
    private long _tail;
    private long _pointCount;
    private long _firstTicks = long.MaxValue;
    private long _recoveredTicks = long.MinValue;

    public SeriesRing(SeriesKey key, int capacity, int pointsForStep)
    {
        Key = key;
        Capacity = capacity;
        _pointsForStep = pointsForStep;
        _slots = [];
    }

    public SeriesKey Key { get; }

    public int Capacity { get; }

    /// <summary>Writes one point, <paramref name="recovered"/> when read back from storage. Returns false when it is
    /// older than what the ring holds.</summary>
    public bool Write(long ticks, double value, bool recovered)
    {
        lock (_gate)
        {
            _firstTicks = Math.Min(_firstTicks, ticks);
            if (recovered)
            {
                _recoveredTicks = Math.Max(_recoveredTicks, ticks);
            }
            if (_stepTicks == 0)
            {
                Remember(ticks, value);
                if (_early!.Count >= _pointsForStep && AgreedStep() is { } step)
                {
                    Rebuild(step);
                }
                SettleOnceEnoughArrived();
                return true;
            }
            if (!Place(ticks, value))
            {
                return false;
            }
            if (_early is not null)
            {
                Remember(ticks, value);
                Reconsider(ticks);
            }
            return true;
        }
    }

    public SeriesInfo Describe()
    {
        lock (_gate)
        {
            if (_stepTicks == 0)
            {
                var waiting = _early ?? [];
                return new SeriesInfo(Key, null, waiting.Count,
                    waiting.Count == 0 ? null : Stamp(waiting[0].Ticks),
                    waiting.Count == 0 ? null : Stamp(waiting[^1].Ticks)) { RecoveredThrough = RecoveredThrough };
            }
            return new SeriesInfo(Key, TimeSpan.FromTicks(_stepTicks), _pointCount, Stamp(_firstTicks), Stamp(SlotTicks(_head)))
            {
                RecoveredThrough = RecoveredThrough,
            };
        }
    }

    public SeriesWindow? Latest(int maxPoints)
    {
        lock (_gate)
        {
            if (_stepTicks == 0)
            {
                return null;
            }
            var count = (int)Math.Min(maxPoints, _head - _tail + 1);
            return Copy(_head - count + 1, count);
        }
    }

    public SeriesWindow? Range(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            if (_stepTicks == 0)
            {
                return null;
            }
            var first = Math.Max(_tail, CeilingSlot(from.UtcTicks));
            var last = Math.Min(_head, FloorSlot(to.UtcTicks));
            return Copy(first, (int)Math.Max(0, last - first + 1));
        }
    }

    public RingSnapshot? Snapshot()
    {
        lock (_gate)
        {
            if (_stepTicks == 0)
            {
                return null;
            }
            var window = Copy(_tail, (int)(_head - _tail + 1));
            return new RingSnapshot(Key, _stepTicks, SlotTicks(_tail), window.Values, _pointCount, _firstTicks);
        }
    }

    /// <summary>The points waiting for the step (none once it is known).</summary>
    public DataPoint[] Pending()
    {
        lock (_gate)
        {
            return _stepTicks != 0 || _early is null
                ? []
                : _early.Select(p => new DataPoint(Key, Stamp(p.Ticks), p.Value)).ToArray();
        }
    }

    public void Restore(RingSnapshot snapshot)
    {
        lock (_gate)
        {
            _stepTicks = snapshot.StepTicks;
            _anchorTicks = snapshot.StartTicks;
            _slots = new double[Capacity];
            Array.Fill(_slots, double.NaN);
            var values = snapshot.Values.AsSpan();
            if (values.Length > Capacity)
            {
                _anchorTicks += (values.Length - Capacity) * _stepTicks;
                values = values[^Capacity..];
            }
            _tail = 0;
            _head = values.Length - 1;
            values.CopyTo(_slots);
            _pointCount = snapshot.PointCount;
            _firstTicks = snapshot.FirstTicks;
            if (_head >= 0)
            {
                _recoveredTicks = Math.Max(_recoveredTicks, SlotTicks(_head));
            }
            foreach (var (ticks, value) in _early ?? [])
            {
                Place(ticks, value);
            }
            _early = null;
        }
    }

    private DateTimeOffset? RecoveredThrough => _recoveredTicks == long.MinValue ? null : Stamp(_recoveredTicks);

    /// <summary>Keeps the first points in time order, the last write to a timestamp replacing the earlier.</summary>
    private void Remember(long ticks, double value)
    {
        var early = _early!;
        int low = 0, high = early.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (early[middle].Ticks < ticks)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        if (low < early.Count && early[low].Ticks == ticks)
        {
            early[low] = (ticks, value);
        }
        else
        {
            early.Insert(low, (ticks, value));
        }
    }

    /// <summary>
    /// A point between the slots asks for the step again; a smaller step that divides the provisional one (first points
    /// out of order agreed on a multiple of it) rebuilds the ring.
    /// </summary>
    private void Reconsider(long ticks)
    {
        var betweenSlots = Math.Abs(ticks - SlotTicks(NearestSlot(ticks))) * 4 >= _stepTicks;
        if (betweenSlots && AgreedStep() is { } step && step < _stepTicks && Divides(step, _stepTicks))
        {
            Rebuild(step);
        }
        SettleOnceEnoughArrived();
    }

    private static bool Divides(long step, long multiple)
    {
        var ratio = (double)multiple / step;
        return Math.Abs(ratio - Math.Round(ratio)) < 0.1;
    }

    private int SettleCount => _pointsForStep * SettleFactor;

    private long? AgreedStep() => _early is { } early
        ? StepDetector.AgreedSpacingTicks(early.Select(p => p.Ticks), settle: early.Count >= SettleCount)
        : null;

    private void SettleOnceEnoughArrived()
    {
        if (_early!.Count >= SettleCount)
        {
            _early = null;
        }
    }

    /// <summary>Places the first points again on the grid of <paramref name="step"/>, anchored at the earliest.</summary>
    private void Rebuild(long step)
    {
        _stepTicks = step;
        _anchorTicks = _early![0].Ticks;
        _slots = new double[Capacity];
        Array.Fill(_slots, double.NaN);
        _head = -1;
        _tail = 0;
        _pointCount = 0;
        foreach (var (t, v) in _early)
        {
            Place(t, v);
        }
    }

    private bool Place(long ticks, double value)
    {
        var slot = NearestSlot(ticks);
        if (_head < 0)
        {
            _head = slot;
            _tail = slot;
        }
        else if (slot > _head)
        {
            var clearFrom = Math.Max(_head + 1, slot - Capacity + 1);
            for (var s = clearFrom; s < slot; s++)
            {
                _slots[Position(s)] = double.NaN;
            }
            _head = slot;
            _tail = Math.Max(_tail, _head - Capacity + 1);
        }
        else if (slot <= _head - Capacity)
        {
            return false;
        }
        else if (slot < _tail)
        {
            for (var s = slot + 1; s < _tail; s++)
            {
                _slots[Position(s)] = double.NaN;
            }
            _tail = slot;
        }
        ref var cell = ref _slots[Position(slot)];
        if (double.IsNaN(cell))
        {
            _pointCount++;
        }
        cell = value;
        return true;
    }

    private SeriesWindow Copy(long firstSlot, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = _slots[Position(firstSlot + i)];
        }
        return new SeriesWindow(Key, Stamp(SlotTicks(firstSlot)), TimeSpan.FromTicks(_stepTicks), values);
    }

    private int Position(long slot)
    {
        var position = (int)(slot % Capacity);
        return position < 0 ? position + Capacity : position;
    }

    private long SlotTicks(long slot) => _anchorTicks + slot * _stepTicks;

    private long NearestSlot(long ticks)
    {
        var offset = ticks - _anchorTicks;
        return (long)Math.Round((double)offset / _stepTicks, MidpointRounding.AwayFromZero);
    }

    private long CeilingSlot(long ticks) => (long)Math.Ceiling((double)(ticks - _anchorTicks) / _stepTicks);

    private long FloorSlot(long ticks) => (long)Math.Floor((double)(ticks - _anchorTicks) / _stepTicks);

    private static DateTimeOffset Stamp(long ticks) => new(ticks, TimeSpan.Zero);
}

/// <summary>What the state database keeps of one ring: its regular values from <see cref="StartTicks"/> on.</summary>
internal sealed record RingSnapshot(SeriesKey Key, long StepTicks, long StartTicks, double[] Values, long PointCount, long FirstTicks);
