using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MetaAnomaly.Dashboard.OpenApi;

/// <summary>
/// The query parameters of the InfluxDB write endpoints, which read them from the request themselves (so the
/// generator cannot see them): <c>/write</c>'s db, rp, precision, u and p, <c>/api/v2/write</c>'s org, bucket, precision.
/// </summary>
internal sealed class PushParameters : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, (string Name, string Description, bool Required)[]> ByPath = new(StringComparer.OrdinalIgnoreCase)
    {
        ["write"] =
        [
            ("db", "InfluxDB database: accepted, not part of the series key.", false),
            ("rp", "Retention policy: accepted, not part of the series key.", false),
            ("precision", "Timestamp unit: ns (default), u, ms, s, m or h.", false),
            ("u", "User name (any), when the key is sent as p.", false),
            ("p", "The writer API key as password (prefer Basic auth or X-Api-Key: query strings end up in logs).", false),
        ],
        ["api/v2/write"] =
        [
            ("org", "Organization: must equal Ingest:Push:Org when that is set (404 otherwise), ignored when it is not.", false),
            ("bucket", "Bucket: required, not part of the series key.", true),
            ("precision", "Timestamp unit: ns (default), us, ms or s.", false),
        ],
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath is { } path && ByPath.TryGetValue(path.TrimStart('/'), out var parameters))
        {
            operation.Parameters ??= [];
            foreach (var (name, description, required) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Query, Description = description, Required = required,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }
        return Task.CompletedTask;
    }
}
