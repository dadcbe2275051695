using MetaAnomaly.Forecasting.Learners;
using MetaAnomaly.Forecasting.Learners.Selection;
using Microsoft.Extensions.Options;
using Quartz;

namespace MetaAnomaly.Forecasting.Extensions;

/// <summary>Checks the "Forecasting" section at start; every message names the key.</summary>
internal sealed class ForecastingOptionsValidator(MetaLearnerRegistry learners) : IValidateOptions<ForecastingOptions>
{
    public ValidateOptionsResult Validate(string? name, ForecastingOptions options)
    {
        var errors = new List<string>();
        if (options.Device is not ("auto" or "cpu" or "cuda"))
        {
            errors.Add($"Forecasting:Device must be auto, cpu or cuda (got '{options.Device}').");
        }
        foreach (var (cluster, learner) in options.LearnerByCluster.Prepend(new("(default)", options.Learner)))
        {
            if (!learners.Contains(learner) && !LearnerSelector.IsAuto(learner))
            {
                errors.Add($"Forecasting:{(cluster == "(default)" ? "Learner" : $"LearnerByCluster:{cluster}")} names '{learner}', which is neither '{LearnerSelector.Auto}' nor a registered learner ({string.Join(", ", learners.Names)}).");
            }
        }
        Positive(errors, options.Lags, "Lags");
        Positive(errors, options.AdaptationSteps, "AdaptationSteps");
        Positive(errors, options.MetaTrainingSteps, "MetaTrainingSteps");
        Positive(errors, options.MetaBatchSize, "MetaBatchSize");
        Positive(errors, options.HistoryLength, "HistoryLength");
        Positive(errors, options.MaxPeriod, "MaxPeriod");
        if (options.SupportSize < 0 || options.ChunkSize < 0 || options.Horizon < 0 || options.AdaptationThreads < 0)
        {
            errors.Add("Forecasting:SupportSize, Forecasting:ChunkSize, Forecasting:Horizon and Forecasting:AdaptationThreads must be 0 (automatic) or positive.");
        }
        if (options.SpecialisedClusterMembers < 0)
        {
            errors.Add($"Forecasting:SpecialisedClusterMembers must be 0 (every cluster on its own members) or positive, got {options.SpecialisedClusterMembers}.");
        }
        if (options.HiddenSizes.Any(h => h <= 0))
        {
            errors.Add($"Forecasting:HiddenSizes must list positive widths (none for the default {string.Join(", ", ForecastingOptions.Defaults.HiddenSizes)}), got {string.Join(", ", options.HiddenSizes)}.");
        }
        if (!(options.AdaptationLearningRate > 0) || !(options.MetaLearningRate > 0))
        {
            errors.Add("Forecasting:AdaptationLearningRate and Forecasting:MetaLearningRate must be positive.");
        }
        if (!(options.InnerLoopHeldOutShare >= 0 && options.InnerLoopHeldOutShare < 1))
        {
            errors.Add($"Forecasting:InnerLoopHeldOutShare must be at least 0 and below 1 (got {options.InnerLoopHeldOutShare}).");
        }
        if (!IsValidCron(options.AdaptationCron))
        {
            errors.Add($"Forecasting:AdaptationCron '{options.AdaptationCron}' is not a valid Quartz cron expression (for example '0 30 3 * * ?').");
        }
        if (options.CatchUpInterval <= TimeSpan.Zero || options.MetaTrainingBudget <= TimeSpan.Zero || options.StartupDelay < TimeSpan.Zero)
        {
            errors.Add("Forecasting:CatchUpInterval and Forecasting:MetaTrainingBudget must be positive, Forecasting:StartupDelay not negative.");
        }
        if (options.ModelRefreshInterval < TimeSpan.Zero)
        {
            errors.Add($"Forecasting:ModelRefreshInterval must not be negative (00:00:00 never refreshes), got {options.ModelRefreshInterval}.");
        }
        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            errors.Add("Forecasting:ModelDirectory must name a directory.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsValidCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void Positive(List<string> errors, int value, string key)
    {
        if (value <= 0)
        {
            errors.Add($"Forecasting:{key} must be positive (got {value}).");
        }
    }
}
