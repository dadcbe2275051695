using MetaAnomaly.Forecasting.Learners.Metric.Matching;
using MetaAnomaly.Forecasting.Learners.Metric.Prototypical;
using MetaAnomaly.Forecasting.Learners.Metric.Relation;
using MetaAnomaly.Forecasting.Learners.Metric.Siamese;
using MetaAnomaly.Forecasting.Learners.Model.Mann;
using MetaAnomaly.Forecasting.Learners.Model.MetaNetworks;
using MetaAnomaly.Forecasting.Learners.Model.Snail;
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
        services.AddMetaLearner<MatchingNetworksFactory>();
        services.AddMetaLearner<PrototypicalNetworksFactory>();
        services.AddMetaLearner<RelationNetworksFactory>();
        services.AddMetaLearner<SiameseNetworksFactory>();
        services.AddMetaLearner<MannFactory>();
        services.AddMetaLearner<MetaNetFactory>();
        services.AddMetaLearner<SnailFactory>();
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
