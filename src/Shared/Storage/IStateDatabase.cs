using System.Data.Common;

namespace MetaAnomaly.Shared.Storage;

/// <summary>
/// The embedded state database (SQLite by default). Each project keeps its own tables in it and registers the
/// schema migrations that create them; the database applies them all, in id order, once at start.
/// </summary>
public interface IStateDatabase
{
    /// <summary>An open connection with migrations applied. The caller disposes it.</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One forward-only schema change. Ids sort the migrations across projects: prefix them with the project
/// (for example <c>ingest-0001-watermarks</c>, <c>detection-0001-events</c>).
/// </summary>
public sealed record SchemaMigration(string Id, string Sql);
