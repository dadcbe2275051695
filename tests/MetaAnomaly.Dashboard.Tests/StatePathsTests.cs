using MetaAnomaly.Dashboard.Hosting;
using Microsoft.Extensions.Configuration;

namespace MetaAnomaly.Dashboard.Tests;

public sealed class StatePathsTests
{
    [Fact]
    public void KeysAndModelsDefaultToTheStateFolder()
    {
        var paths = StatePaths.Resolve(Configuration(("Ingest:StatePath", "/var/lib/metaanomaly/metaanomaly.db")), "/app");
        Assert.Equal("/var/lib/metaanomaly/metaanomaly.db", paths.Database);
        Assert.Equal("/var/lib/metaanomaly/keys", paths.Keys);
        Assert.Equal("/var/lib/metaanomaly/forecasting-models", paths.Models);
    }

    [Fact]
    public void DefaultStatePathIsUnderTheContentRoot()
    {
        var paths = StatePaths.Resolve(Configuration(), "/srv/metaanomaly");
        Assert.Equal("/srv/metaanomaly/data/metaanomaly.db", paths.Database);
        Assert.Equal("/srv/metaanomaly/data/keys", paths.Keys);
    }

    [Fact]
    public void ConfiguredKeysPathWins()
    {
        var paths = StatePaths.Resolve(Configuration(("Ingest:StatePath", "/state/metaanomaly.db"), ("Dashboard:KeysPath", "/secrets/keys")), "/app");
        Assert.Equal("/secrets/keys", paths.Keys);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
