namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// One series' adapted state as plain arrays (fast weights for optimization learners, the embedded support for
/// metric learners, the read support sequence or memory for model learners), tagged with the learner that made it.
/// </summary>
public sealed record AdaptedTaskState(string Learner, IReadOnlyList<StateArray> Arrays);

/// <param name="Shape">The array's shape without the task dimension.</param>
public sealed record StateArray(string Name, long[] Shape, float[] Data);
