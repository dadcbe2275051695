namespace MetaAnomaly.Forecasting.Registry;

/// <summary>One stored meta-initialisation of one cluster.</summary>
/// <param name="Layout">The episode layout it was trained for, as <c>L,P,K</c> (a model only serves that layout).</param>
/// <param name="DataFrom">First timestamp of the training data.</param>
/// <param name="File">Path of the weights, relative to <c>Forecasting:ModelDirectory</c>.</param>
public sealed record ModelRecord(
    string ClusterId,
    int Version,
    string Learner,
    string Layout,
    DateTimeOffset? DataFrom,
    DateTimeOffset? DataTo,
    double ValidationError,
    DateTimeOffset CreatedAt,
    string File);
