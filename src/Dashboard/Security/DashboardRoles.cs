namespace MetaAnomaly.Dashboard.Security;

/// <summary>The roles an account or API key holds. Admin implies viewer and writer.</summary>
public static class DashboardRoles
{
    public const string Viewer = "viewer";
    public const string Admin = "admin";
    public const string Writer = "writer";

    public static IReadOnlyList<string> All { get; } = [Viewer, Admin, Writer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
