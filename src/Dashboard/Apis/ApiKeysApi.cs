using MetaAnomaly.Dashboard.Security;
using MetaAnomaly.Shared.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaAnomaly.Dashboard.Apis;

/// <summary>Request body of <c>POST /api/keys</c>.</summary>
public sealed record CreateApiKeyRequest(string Name, string Role);

public static class ApiKeysApi
{
    /// <summary>API keys: list, create (the secret is returned once), revoke. Admin only.</summary>
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").WithTags("API keys").RequireAuthorization(AccessPolicies.Admin);
        keys.MapGet("/", ListAsync).WithSummary("API keys with their role and dates (never their secrets)");
        keys.MapPost("/", CreateAsync).DisableAntiforgery().WithSummary("Create an API key (viewer, writer or admin); its full text is returned once");
        keys.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke an API key: it is refused from the next request");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListAsync(IAccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListApiKeysAsync(cancellationToken));

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateAsync(
        CreateApiKeyRequest request, IAccountStore accounts, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        if (!DashboardRoles.IsKnown(request.Role))
        {
            errors["role"] = [$"The role must be one of {string.Join(", ", DashboardRoles.All)}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var created = await accounts.CreateApiKeyAsync(request.Name, request.Role, cancellationToken);
        return TypedResults.Created($"/api/keys/{created.Key.Id}", created);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(string id, IAccountStore accounts, CancellationToken cancellationToken) =>
        await accounts.RevokeApiKeyAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
