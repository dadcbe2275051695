namespace MetaAnomaly.Detection.Events;

/// <summary>Which side of the forecast a rule watches, or on which side an event lies.</summary>
public enum AnomalyDirection
{
    Both = 0,
    Up = 1,
    Down = 2,
}
