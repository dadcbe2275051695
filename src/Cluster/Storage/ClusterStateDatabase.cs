using System.Data.Common;
using MetaAnomaly.Shared.Storage;
using Npgsql;

namespace MetaAnomaly.Cluster.Storage;

/// <summary>The cluster's PostgreSQL database as the state the nodes share (its tables from <see cref="ClusterSchema"/>).</summary>
internal sealed class ClusterStateDatabase(NpgsqlDataSource database) : IClusterStateDatabase
{
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenConnectionAsync(cancellationToken);
}
