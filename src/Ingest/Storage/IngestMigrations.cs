using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Ingest.Storage;

/// <summary>The tables Ingest keeps in the state database.</summary>
internal static class IngestMigrations
{
    public static IEnumerable<SchemaMigration> All { get; } =
    [
        new("ingest-0001-series-catalogue", """
            CREATE TABLE ingest_series (
                series_key TEXT PRIMARY KEY,
                measurement TEXT NOT NULL,
                field TEXT NOT NULL,
                step_ticks INTEGER,
                first_ticks INTEGER,
                last_ticks INTEGER,
                point_count INTEGER NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE INDEX ingest_series_measurement ON ingest_series (measurement);
            """),
        new("ingest-0002-watermarks", """
            CREATE TABLE ingest_watermarks (
                source TEXT NOT NULL,
                scope TEXT NOT NULL,
                value INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (source, scope));
            """),
        new("ingest-0003-buffer-snapshot", """
            CREATE TABLE ingest_buffer_snapshot (
                series_key TEXT PRIMARY KEY,
                step_ticks INTEGER NOT NULL,
                start_ticks INTEGER NOT NULL,
                first_ticks INTEGER NOT NULL,
                point_count INTEGER NOT NULL,
                slot_values BLOB NOT NULL,
                saved_at TEXT NOT NULL);
            """),
    ];
}
