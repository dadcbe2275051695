using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Hosting;

/// <summary>
/// Runs the host; a configuration error (an invalid or unconvertible setting, an unwritable state folder, an address in
/// <c>Urls</c> that another process holds) ends it with <see cref="ConfigurationErrorExitCode"/> and a message naming the
/// settings, instead of an unhandled-exception abort.
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
        catch (UrlInUseException e)
        {
            return Explain([e.Message]);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return Explain([$"{ListenAddressCheck.UrlsSetting}: {e.Message} Stop the other process, or set {ListenAddressCheck.UrlsSetting} (--urls) to a free address."]);
        }
    }

    private static int Explain(IEnumerable<string> failures)
    {
        Console.Error.WriteLine("MetaAnomaly cannot start, check its configuration:");
        foreach (var failure in failures)
        {
            Console.Error.WriteLine("  - " + failure);
        }
        return ConfigurationErrorExitCode;
    }
}
