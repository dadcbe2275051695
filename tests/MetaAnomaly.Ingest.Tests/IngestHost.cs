using MetaAnomaly.Ingest.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaAnomaly.Ingest.Tests;

/// <summary>A generic host with <c>AddIngest()</c> and the given <c>Ingest:*</c> settings, rooted in a folder.</summary>
internal static class IngestHost
{
    public static IHost Build(string contentRoot, IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = contentRoot,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddIngest();
        return builder.Build();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }
            await Task.Delay(20);
        }
    }
}
