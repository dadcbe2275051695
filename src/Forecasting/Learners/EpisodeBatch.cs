namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// A meta-batch of episodes: for each task, support pairs (K consecutive points) to adapt on and the query pairs that
/// follow them to be judged on. Both share T and D.
/// </summary>
public sealed record EpisodeBatch(TaskSet Support, TaskSet Query) : IDisposable
{
    public void Dispose()
    {
        Support.Dispose();
        Query.Dispose();
    }
}
