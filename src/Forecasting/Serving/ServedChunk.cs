namespace MetaAnomaly.Forecasting.Serving;

/// <summary>An adapted chunk as serving holds it: disposed when a later snapshot of its cluster no longer serves it.</summary>
internal sealed class ServedChunk(AdaptedChunk adapted)
{
    public AdaptedChunk Adapted { get; } = adapted;

    public bool Disposed { get; private set; }

    public void Dispose()
    {
        Disposed = true;
        Adapted.Dispose();
    }
}
