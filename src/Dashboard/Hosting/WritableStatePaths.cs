using Microsoft.Extensions.Options;

namespace MetaAnomaly.Dashboard.Hosting;

/// <summary>
/// Checks at start that the host can write where it keeps its state, so that an unwritable folder is a configuration
/// error naming its setting rather than a failure deep inside the first write.
/// </summary>
internal sealed class WritableStatePaths(StatePaths paths) : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, folder) in (ReadOnlySpan<(string, string)>)[
            (StatePaths.StatePathSetting, paths.StateDirectory),
            (StatePaths.KeysPathSetting, paths.Keys),
            (StatePaths.ModelDirectorySetting, paths.Models)])
        {
            if (Unwritable(folder) is { } reason)
            {
                failures.Add($"{setting}: this process (user {Environment.UserName}) cannot write in {folder}: {reason}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Unwritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = File.Create(Path.Combine(folder, $".write-check-{Guid.NewGuid():N}"), 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
