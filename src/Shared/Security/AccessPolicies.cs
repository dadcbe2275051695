namespace MetaAnomaly.Shared.Security;

/// <summary>
/// Authorization policy names. The host (Dashboard) defines them; each project's endpoints attach them by name.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Signed-in users and API keys with the viewer or admin role: read anything.</summary>
    public const string Viewer = "viewer";

    /// <summary>The admin role: change configuration, give feedback, run jobs, manage webhooks and keys.</summary>
    public const string Admin = "admin";

    /// <summary>Push ingestion (<c>POST /write</c>): API keys allowed to write points.</summary>
    public const string Writer = "writer";
}
