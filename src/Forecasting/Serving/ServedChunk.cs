namespace MetaAnomaly.Forecasting.Serving;

/// <summary>An adapted chunk as serving holds it: disposed once no snapshot holds it and no series serves from it.</summary>
internal sealed class ServedChunk(AdaptedChunk adapted)
{
    public AdaptedChunk Adapted { get; } = adapted;

    public bool Disposed { get; private set; }

    public void Dispose()
    {
        if (Disposed)
        {
            return;
        }
        Disposed = true;
        Adapted.Dispose();
    }
}
