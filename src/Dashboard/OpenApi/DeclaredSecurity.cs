using MetaAnomaly.Dashboard.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MetaAnomaly.Dashboard.OpenApi;

/// <summary>
/// Declares in the OpenAPI document how callers authenticate (an API key as <c>X-Api-Key</c> or a bearer token, Basic
/// with the key as password for InfluxDB clients, the dashboard's session cookie) and, on each operation that needs
/// it, that one of them is required and which access policy applies.
/// </summary>
internal sealed class DeclaredSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string ApiKey = "apiKey";
    private const string Bearer = "bearer";
    private const string Basic = "basic";
    private const string Cookie = "cookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key (mak_<id>_<secret>) made on the Access page or with POST /api/keys.",
        };
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same API key as a bearer token.",
        };
        document.Components.SecuritySchemes[Basic] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "basic", Description = "Any user name with the API key as password (InfluxDB 1.x clients on /write).",
        };
        document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "metaanomaly.auth",
            Description = "The dashboard's sign-in session (same-origin requests only).",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            return Task.CompletedTask;
        }
        operation.Security = [.. new[] { ApiKey, Bearer, Basic, Cookie }.Select(scheme =>
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })];
        if (policies.Length > 0)
        {
            operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Access policy: {string.Join(", ", policies)}.";
        }
        return Task.CompletedTask;
    }
}
