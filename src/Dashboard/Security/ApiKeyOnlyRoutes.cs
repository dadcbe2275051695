using MetaAnomaly.Ingest.Push;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>The push routes (<c>/write</c>, <c>/api/v2/write</c>): only API keys authenticate there, never the sign-in cookie.</summary>
internal sealed class ApiKeyOnlyRoutes(IEnumerable<IPushProtocol> protocols)
{
    private readonly PathString[] _routes = protocols.Select(p => new PathString(p.Route)).ToArray();

    public bool Match(PathString path) => _routes.Any(route => path.Equals(route, StringComparison.OrdinalIgnoreCase));
}
