using MetaAnomaly.Shared.Storage;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>The dashboard's own tables in the state database: accounts (with their session stamps), API keys and job runs.</summary>
internal static class DashboardMigrations
{
    public static IEnumerable<SchemaMigration> All { get; } =
    [
        new("dashboard-0001-accounts", """
            CREATE TABLE dashboard_accounts (
                name TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE dashboard_api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            );
            """),
        new("dashboard-0002-job-runs", """
            CREATE TABLE dashboard_job_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                job_group TEXT NOT NULL,
                job_name TEXT NOT NULL,
                trigger_name TEXT,
                started_at TEXT NOT NULL,
                duration_ms INTEGER NOT NULL,
                succeeded INTEGER NOT NULL,
                result TEXT,
                error TEXT
            );
            CREATE INDEX dashboard_job_runs_by_job ON dashboard_job_runs (job_group, job_name, started_at DESC);
            """),
        new("dashboard-0003-session-stamps", """
            ALTER TABLE dashboard_accounts ADD COLUMN session_stamp TEXT NOT NULL DEFAULT '';
            UPDATE dashboard_accounts SET session_stamp = lower(hex(randomblob(16)));
            """),
        new("dashboard-0004-job-runs-in-flight", """
            ALTER TABLE dashboard_job_runs ADD COLUMN fire_id TEXT;
            ALTER TABLE dashboard_job_runs ADD COLUMN finished INTEGER NOT NULL DEFAULT 1;
            """),
    ];
}
