using System.Net;
using MetaAnomaly.Cluster.Anomalies;
using MetaAnomaly.Cluster.Apis;
using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Cluster.Events;
using MetaAnomaly.Cluster.Forecasting;
using MetaAnomaly.Cluster.Hosting;
using MetaAnomaly.Cluster.Ingest;
using MetaAnomaly.Cluster.Pull;
using MetaAnomaly.Cluster.Security;
using MetaAnomaly.Cluster.Sharding;
using MetaAnomaly.Cluster.Storage;
using MetaAnomaly.Detection.Sinks;
using MetaAnomaly.Detection.Storage;
using MetaAnomaly.Detection.Webhooks;
using MetaAnomaly.Forecasting.ReadModel;
using MetaAnomaly.Forecasting.Registry;
using MetaAnomaly.Ingest.Buffers;
using MetaAnomaly.Ingest.Configuration;
using MetaAnomaly.Ingest.Pull;
using MetaAnomaly.Ingest.Wal;
using MetaAnomaly.Shared.Series;
using MetaAnomaly.Shared.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using EndpointOptions = Orleans.Configuration.EndpointOptions;
using SiloOptions = Orleans.Configuration.SiloOptions;
using ClusterOptions = MetaAnomaly.Cluster.Configuration.ClusterOptions;
using OrleansClusterOptions = Orleans.Configuration.ClusterOptions;

namespace MetaAnomaly.Cluster.Extensions;

public static class ClusterExtensions
{
    /// <summary>
    /// Registers <see cref="ClusterOptions"/> (section <c>Cluster</c>, validated at start). Only with
    /// <c>Cluster:Enabled=true</c> does anything else change: the node becomes an Orleans silo with ADO.NET clustering
    /// on <c>Cluster:PostgreSql</c> (its tables applied at start by <see cref="ClusterSchema"/>), the series are hashed
    /// over <c>Cluster:Shards</c> shard grains (<see cref="IShardGrain"/>), <see cref="IDurableIngestor"/> becomes
    /// <see cref="ClusterIngestor"/> (acknowledged once the points are in PostgreSQL) in place of the local
    /// write-ahead log and buffer snapshot, and <see cref="ShardKeeper"/> keeps every shard active. Anomaly events are
    /// recorded once per cluster in PostgreSQL (<see cref="ClusterEventLedger"/>) and each webhook notification is
    /// queued once per cluster (<see cref="ClusterWebhookClaims"/>). The model registry is the cluster's
    /// (<see cref="ClusterModelRegistry"/>: each cluster meta-trained once, its versions served by every node), Quartz
    /// runs clustered on the same database (each job fires once per cluster) and the daily run fans out over the shards
    /// (<see cref="ClusterForecastingRuns"/>); accounts, API keys, webhook endpoints, maintenance windows, sensitivities and the data-protection keys of sign-in
    /// cookies are the cluster's (<see cref="ClusterStateDatabase"/>, <see cref="ClusterXmlRepository"/>), and the series list is
    /// every node's (<see cref="ClusterSeriesDirectory"/>). Call after <c>AddIngest</c>, <c>AddForecasting</c> and <c>AddDetection</c>.
    /// </summary>
    public static IHostApplicationBuilder AddCluster(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        if (!ClusterOptions.EnabledIn(builder.Configuration))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.PostgreSql!));
        services.AddSingleton(sp => new Lazy<NpgsqlDataSource>(sp.GetRequiredService<NpgsqlDataSource>));
        services.AddSingleton(sp => new ShardMap(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Shards));
        services.AddSingleton<ClusterPointStore>();
        services.AddSingleton<ShardHandovers>();
        services.AddSingleton<ClusterEventLedger>();
        services.Replace(ServiceDescriptor.Singleton<IDurableIngestor, ClusterIngestor>());
        services.Replace(ServiceDescriptor.Singleton<IWebhookClaims, ClusterWebhookClaims>());
        services.Replace(ServiceDescriptor.Singleton<IWebhookQueue, ClusterWebhookQueue>());
        services.AddSingleton<IDetectionSink, ClusterEventSink>();
        services.AddSingleton<IClusterStateDatabase, ClusterStateDatabase>();
        services.Replace(ServiceDescriptor.Singleton<ISeriesDirectory, ClusterSeriesDirectory>());
        services.Replace(ServiceDescriptor.Singleton<IModelRegistry, ClusterModelRegistry>());
        // The node's own runs (the forecasting core's) stay behind NodeAdaptation; the runs the jobs start are the cluster's.
        var nodeRuns = services.Last(d => d.ServiceType == typeof(IForecastingRuns));
        services.Remove(nodeRuns);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<NodeAdaptation>(sp, (IForecastingRuns)nodeRuns.ImplementationFactory!(sp)));
        services.AddSingleton<IForecastingRuns, ClusterForecastingRuns>();
        var postgres = builder.Configuration[$"{ClusterOptions.Section}:{nameof(ClusterOptions.PostgreSql)}"] ?? "";
        services.AddQuartz(q => q.UsePersistentStore(store =>
        {
            store.UsePostgres(postgres);
            store.UseSystemTextJsonSerializer();
            store.UseClustering();
            store.ProvisionSchema();
            store.UseExecutionHistory();
        }));
        // A node's buffers are what its shards read back from PostgreSQL: the local snapshot and write-ahead log would
        // restore, after a restart, series whose shards now run on other nodes.
        foreach (var snapshot in services.Where(d => d.ImplementationType == typeof(BufferSnapshotService)).ToArray())
        {
            services.Remove(snapshot);
        }

        // Hosted services start in registration order: the tables exist before any other starts (the admin seeder writes
        // the shared accounts, the silo joins), the silo before the keeper calls shards.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ClusterSchema>());
        AddSharedKeyRing(services);
        AddClusterDashboard(services);
        builder.UseOrleans(silo =>
        {
            silo.UseAdoNetClustering(ado => ado.Configure<IOptions<ClusterOptions>>((o, cluster) =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = cluster.Value.PostgreSql;
            }));
            silo.Services.AddOptions<OrleansClusterOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) =>
            {
                o.ClusterId = cluster.Value.ClusterId;
                o.ServiceId = cluster.Value.ClusterId;
            });
            silo.Services.AddOptions<SiloOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) => o.SiloName = cluster.Value.ResolvedNodeName);
            silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterOptions>>((o, cluster) =>
            {
                o.AdvertisedIPAddress = IPAddress.TryParse(cluster.Value.AdvertisedAddress, out var address) ? address : IPAddress.Loopback;
                o.SiloPort = cluster.Value.SiloPort;
                o.GatewayPort = cluster.Value.GatewayPort;
            });
        });
        services.AddHostedService<ShardKeeper>();
        AddClusterPull(builder);
        return builder;
    }

    /// <summary>
    /// The InfluxDB pull is the cluster's: no node pulls itself (its <see cref="InfluxPullSource"/> is not run); a node
    /// configured for an InfluxDB keeps that database's <see cref="IPullGrain"/> active instead (<see cref="PullKeeper"/>).
    /// </summary>
    private static void AddClusterPull(IHostApplicationBuilder builder)
    {
        foreach (var pull in builder.Services.Where(d => d.ImplementationType == typeof(InfluxPullSource)).ToArray())
        {
            builder.Services.Remove(pull);
        }
        var ingest = builder.Configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions();
        if (ingest.HasInflux && ingest.Pull.Enabled != false)
        {
            builder.Services.AddHostedService<PullKeeper>();
        }
    }

    /// <summary>
    /// The data-protection keys (sign-in cookies, protected secrets) in the cluster's database, under the application
    /// name every node sets, so that each node reads what another protected; loaded at start right after the schema.
    /// </summary>
    private static void AddSharedKeyRing(IServiceCollection services)
    {
        services.AddSingleton<ClusterXmlRepository>();
        services.AddOptions<KeyManagementOptions>().PostConfigure<ClusterXmlRepository>((o, keys) => o.XmlRepository = keys);
        var schema = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ClusterSchema));
        services.Insert(services.IndexOf(schema) + 1, ServiceDescriptor.Singleton<IHostedService, SharedKeyRingStart>());
    }

    /// <summary>
    /// The anomalies pages and API list and act on the cluster's events (<see cref="ClusterAnomalyDirectory"/>); the Nodes
    /// page and <c>/api/cluster</c> read the nodes (<see cref="ClusterNodes"/>).
    /// </summary>
    private static void AddClusterDashboard(IServiceCollection services)
    {
        services.AddSingleton<NodeEventActions>();
        services.AddSingleton<ClusterNodes>();
        services.Replace(ServiceDescriptor.Singleton<IAnomalyDirectory, ClusterAnomalyDirectory>());
    }

    /// <summary>Maps the cluster API (<see cref="ClusterApi"/>) on a cluster node; nothing on a single node.</summary>
    public static IEndpointRouteBuilder MapCluster(this IEndpointRouteBuilder endpoints)
    {
        if (ClusterOptions.EnabledIn(endpoints.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            endpoints.MapClusterApi();
        }
        return endpoints;
    }
}
