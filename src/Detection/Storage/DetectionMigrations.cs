using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Detection.Storage;

/// <summary>Detection's own tables in the state database. Times are Unix milliseconds (UTC).</summary>
internal static class DetectionMigrations
{
    public static IEnumerable<SchemaMigration> All { get; } =
    [
        new("detection-0001-events", """
            CREATE TABLE detection_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                series_key TEXT NOT NULL,
                cluster_id TEXT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                peak_ms INTEGER NOT NULL,
                value REAL NOT NULL,
                forecast REAL NOT NULL,
                band_lower REAL NOT NULL,
                band_upper REAL NOT NULL,
                score REAL NOT NULL,
                probability REAL NOT NULL,
                severity INTEGER NOT NULL,
                direction INTEGER NOT NULL,
                rule TEXT NOT NULL,
                open INTEGER NOT NULL,
                points INTEGER NOT NULL,
                feedback INTEGER NOT NULL DEFAULT 0,
                detected_ms INTEGER NOT NULL,
                UNIQUE (series_key, start_ms));
            CREATE INDEX detection_events_start ON detection_events (start_ms);
            CREATE TABLE detection_scores (
                series_key TEXT NOT NULL,
                ts_ms INTEGER NOT NULL,
                value REAL NOT NULL,
                forecast REAL NOT NULL,
                scale REAL NOT NULL,
                score REAL NOT NULL,
                probability REAL NOT NULL,
                anomalous INTEGER NOT NULL,
                PRIMARY KEY (series_key, ts_ms)) WITHOUT ROWID;
            CREATE INDEX detection_scores_ts ON detection_scores (ts_ms);
            """),
        new("detection-0002-feedback", """
            CREATE TABLE detection_feedback (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id INTEGER NOT NULL REFERENCES detection_events (id),
                verdict INTEGER NOT NULL,
                comment TEXT NULL,
                author TEXT NULL,
                at_ms INTEGER NOT NULL);
            CREATE TABLE detection_cluster_thresholds (
                cluster_id TEXT NOT NULL,
                rule TEXT NOT NULL,
                threshold REAL NOT NULL,
                updated_ms INTEGER NOT NULL,
                PRIMARY KEY (cluster_id, rule));
            """),
        new("detection-0003-webhooks", """
            CREATE TABLE detection_webhooks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                url TEXT NOT NULL,
                secret TEXT NULL,
                headers_json TEXT NOT NULL,
                min_severity INTEGER NOT NULL,
                series_filter TEXT NULL,
                from_configuration INTEGER NOT NULL,
                created_ms INTEGER NOT NULL);
            CREATE TABLE detection_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                endpoint_id INTEGER NOT NULL REFERENCES detection_webhooks (id) ON DELETE CASCADE,
                event_id INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                payload TEXT NOT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_ms INTEGER NOT NULL,
                last_status INTEGER NULL,
                last_error TEXT NULL,
                last_latency_ms INTEGER NULL,
                created_ms INTEGER NOT NULL,
                delivered_ms INTEGER NULL,
                UNIQUE (endpoint_id, idempotency_key));
            CREATE INDEX detection_deliveries_due ON detection_deliveries (state, next_attempt_ms);
            CREATE TABLE detection_delivery_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                delivery_id INTEGER NOT NULL REFERENCES detection_deliveries (id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                at_ms INTEGER NOT NULL,
                status INTEGER NULL,
                error TEXT NULL,
                latency_ms INTEGER NOT NULL);
            """),
        new("detection-0004-event-reason", """
            ALTER TABLE detection_events ADD COLUMN reason TEXT NULL;
            """),
        new("detection-0005-delivery-retry-since", """
            ALTER TABLE detection_deliveries ADD COLUMN retry_since_ms INTEGER NULL;
            """),
        new("detection-0006-surprise-reason-acknowledgement", """
            ALTER TABLE detection_events ADD COLUMN surprise REAL NULL;
            ALTER TABLE detection_events ADD COLUMN acknowledged_by TEXT NULL;
            ALTER TABLE detection_events ADD COLUMN acknowledged_ms INTEGER NULL;
            ALTER TABLE detection_scores ADD COLUMN surprise REAL NULL;
            ALTER TABLE detection_scores ADD COLUMN reason TEXT NULL;
            """),
        new("detection-0007-muting", """
            ALTER TABLE detection_events ADD COLUMN snoozed_until_ms INTEGER NULL;
            CREATE TABLE detection_maintenance_windows (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                series_pattern TEXT NULL,
                cluster_id TEXT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                recurrence INTEGER NOT NULL,
                created_by TEXT NULL,
                created_ms INTEGER NOT NULL);
            """),
        new("detection-0008-sensitivities", """
            CREATE TABLE detection_sensitivities (
                scope INTEGER NOT NULL,
                target TEXT NOT NULL,
                sensitivity INTEGER NOT NULL,
                set_by TEXT NULL,
                set_ms INTEGER NOT NULL,
                PRIMARY KEY (scope, target));
            """),
        // The endpoints may be another database's (a cluster's): a delivery keeps its endpoint's id without a foreign
        // key. SQLite cannot drop one, so the outbox is copied aside and made again, attempts first (they reference it).
        new("detection-0009-deliveries-without-endpoint-key", """
            CREATE TABLE detection_deliveries_kept AS SELECT * FROM detection_deliveries;
            CREATE TABLE detection_delivery_attempts_kept AS SELECT * FROM detection_delivery_attempts;
            DROP TABLE detection_delivery_attempts;
            DROP TABLE detection_deliveries;
            CREATE TABLE detection_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                endpoint_id INTEGER NOT NULL,
                event_id INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                payload TEXT NOT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_ms INTEGER NOT NULL,
                last_status INTEGER NULL,
                last_error TEXT NULL,
                last_latency_ms INTEGER NULL,
                created_ms INTEGER NOT NULL,
                delivered_ms INTEGER NULL,
                retry_since_ms INTEGER NULL,
                UNIQUE (endpoint_id, idempotency_key));
            CREATE INDEX detection_deliveries_due ON detection_deliveries (state, next_attempt_ms);
            CREATE TABLE detection_delivery_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                delivery_id INTEGER NOT NULL REFERENCES detection_deliveries (id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                at_ms INTEGER NOT NULL,
                status INTEGER NULL,
                error TEXT NULL,
                latency_ms INTEGER NOT NULL);
            INSERT INTO detection_deliveries (id, endpoint_id, event_id, idempotency_key, payload, state, attempts, next_attempt_ms, last_status,
                last_error, last_latency_ms, created_ms, delivered_ms, retry_since_ms)
            SELECT id, endpoint_id, event_id, idempotency_key, payload, state, attempts, next_attempt_ms, last_status,
                last_error, last_latency_ms, created_ms, delivered_ms, retry_since_ms FROM detection_deliveries_kept;
            INSERT INTO detection_delivery_attempts (id, delivery_id, attempt, at_ms, status, error, latency_ms)
            SELECT id, delivery_id, attempt, at_ms, status, error, latency_ms FROM detection_delivery_attempts_kept;
            DROP TABLE detection_delivery_attempts_kept;
            DROP TABLE detection_deliveries_kept;
            """),
    ];
}
