using MetaAnomaly.Forecasting.Learners.Optimization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MetaAnomaly.Forecasting.Learners;

/// <summary>
/// Every meta-learner the product knows, one line each. Adding a learner is adding its factory here.
/// </summary>
public static class LearnerRegistration
{
    public static IServiceCollection AddMetaLearners(this IServiceCollection services)
    {
        services.AddMetaLearner<MamlFactory>();
        services.AddMetaLearner<FomamlFactory>();
        services.AddMetaLearner<ReptileFactory>();
        services.AddMetaLearner<MetaSgdFactory>();
        services.AddMetaLearner<LstmMetaLearnerFactory>();
        services.AddMetaLearner<LeoFactory>();
        services.TryAddSingleton<MetaLearnerRegistry>();
        return services;
    }

    public static IServiceCollection AddMetaLearner<TFactory>(this IServiceCollection services)
        where TFactory : class, IMetaLearnerFactory
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetaLearnerFactory, TFactory>());
        return services;
    }
}
