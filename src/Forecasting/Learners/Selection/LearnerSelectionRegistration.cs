using MetaAnomaly.Forecasting.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MetaAnomaly.Forecasting.Learners.Selection;

public static class LearnerSelectionRegistration
{
    /// <summary>
    /// Registers <see cref="LearnerSelector"/> and binds <see cref="LearnerSelectionOptions"/> from
    /// <c>Forecasting:Selection</c>, validated at start (every candidate must be a registered learner).
    /// </summary>
    public static IServiceCollection AddLearnerSelection(this IServiceCollection services)
    {
        services.AddMetaLearners();
        services.AddOptions<LearnerSelectionOptions>().BindConfiguration("Forecasting:Selection").ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LearnerSelectionOptions>, LearnerSelectionOptionsValidator>());
        services.TryAddSingleton<MetaTrainer>();
        services.TryAddSingleton<LearnerSelector>();
        return services;
    }

    private sealed class LearnerSelectionOptionsValidator(MetaLearnerRegistry registry) : IValidateOptions<LearnerSelectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, LearnerSelectionOptions options)
        {
            var failures = new List<string>();
            var unknown = options.UnknownCandidates(registry).ToArray();
            if (unknown.Length > 0)
            {
                failures.Add($"Forecasting:Selection:Candidates names unknown learners ({string.Join(", ", unknown)}); registered: {string.Join(", ", registry.Names)}.");
            }
            if (options.SelectionFraction is < 0 or > 0.5)
            {
                failures.Add($"Forecasting:Selection:SelectionFraction must lie in [0, 0.5]; it is {options.SelectionFraction}.");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
