using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Hosting;

/// <summary>
/// Runs the host; a configuration error (an invalid or unconvertible setting, an unwritable state folder) ends it with
/// <see cref="ConfigurationErrorExitCode"/> and a message naming the settings, instead of an unhandled-exception abort.
/// </summary>
public static class StartupFailure
{
    /// <summary>EX_CONFIG of sysexits.h.</summary>
    public const int ConfigurationErrorExitCode = 78;

    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            return Explain(e.Failures);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return Explain(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures));
        }
        catch (InvalidOperationException e) when (e.Source == typeof(ConfigurationBinder).Assembly.GetName().Name)
        {
            return Explain([e.Message]);
        }
    }

    private static int Explain(IEnumerable<string> failures)
    {
        Console.Error.WriteLine("MetaAnomaly cannot start, its configuration is invalid:");
        foreach (var failure in failures)
        {
            Console.Error.WriteLine("  - " + failure);
        }
        return ConfigurationErrorExitCode;
    }
}
