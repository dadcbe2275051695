using MetaAnomaly.Forecasting.Episodes;

namespace MetaAnomaly.Forecasting.Serving;

/// <summary>Where a series' adapted model lives: task <see cref="Task"/> of chunk <see cref="Chunk"/> of a cluster's snapshot.</summary>
internal sealed record ServingSlot(ServingSnapshot Snapshot, int Chunk, int Task, TaskNormalisation Normalisation);
