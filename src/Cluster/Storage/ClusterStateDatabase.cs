using System.Data.Common;
using MetaAnomaly.Cluster.Configuration;
using MetaAnomaly.Shared.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaAnomaly.Cluster.Storage;

/// <summary>The cluster's PostgreSQL database as the state the nodes share (its tables from <see cref="ClusterSchema"/>).</summary>
internal sealed class ClusterStateDatabase(NpgsqlDataSource database, IOptions<ClusterOptions> options) : IClusterStateDatabase
{
    public string NodeName => options.Value.ResolvedNodeName;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenConnectionAsync(cancellationToken);
}
