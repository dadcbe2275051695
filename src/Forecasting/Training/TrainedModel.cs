namespace MetaAnomaly.Forecasting.Training;

/// <summary>An initialisation made in a run from the histories between <paramref name="DataFrom"/> and <paramref name="DataTo"/>, to store.</summary>
internal sealed record TrainedModel(string ClusterId, ClusterModel Model, DateTimeOffset? DataFrom, DateTimeOffset? DataTo);
