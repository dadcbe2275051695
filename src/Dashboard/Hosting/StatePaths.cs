using MetaAnomaly.Forecasting.Extensions;
using MetaAnomaly.Ingest.Configuration;

namespace MetaAnomaly.Dashboard.Hosting;

/// <summary>
/// Where the host writes. Unless configured elsewhere, everything lies in the folder of <c>Ingest:StatePath</c> (one
/// volume in a container): the state database, the key ring (<c>Dashboard:KeysPath</c>, default <c>keys</c>) and the
/// models (<c>Forecasting:ModelDirectory</c>, default <c>forecasting-models</c>).
/// </summary>
public sealed record StatePaths(string Database, string Keys, string Models)
{
    public const string StatePathSetting = IngestOptions.Section + ":" + nameof(IngestOptions.StatePath);
    public const string KeysPathSetting = DashboardOptions.SectionName + ":" + nameof(DashboardOptions.KeysPath);
    public const string ModelDirectorySetting = ForecastingOptions.SectionName + ":" + nameof(ForecastingOptions.ModelDirectory);

    public string StateDirectory => Path.GetDirectoryName(Database)!;

    /// <summary>Relative settings are under the content root, except the model directory, which Forecasting resolves from the working directory.</summary>
    public static StatePaths Resolve(IConfiguration configuration, string contentRoot)
    {
        string? Setting(string key) => configuration[key] is { Length: > 0 } value ? value : null;
        var database = Path.GetFullPath(Setting(StatePathSetting) ?? IngestOptions.Defaults.StatePath, contentRoot);
        var folder = Path.GetDirectoryName(database)!;
        return new StatePaths(
            database,
            Setting(KeysPathSetting) is { } keys ? Path.GetFullPath(keys, contentRoot) : Path.Combine(folder, "keys"),
            Setting(ModelDirectorySetting) is { } models ? Path.GetFullPath(models) : Path.Combine(folder, "forecasting-models"));
    }
}
