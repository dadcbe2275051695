using Microsoft.Extensions.DependencyInjection;

namespace MetaAnomaly.Forecasting.Learners;

/// <summary>Creates learners by name from the registered factories (names are case-insensitive).</summary>
public sealed class MetaLearnerRegistry
{
    private readonly Dictionary<string, IMetaLearnerFactory> _factories;

    public MetaLearnerRegistry(IEnumerable<IMetaLearnerFactory> factories)
    {
        _factories = new(StringComparer.OrdinalIgnoreCase);
        foreach (var factory in factories)
        {
            if (!_factories.TryAdd(factory.Name, factory))
            {
                throw new InvalidOperationException($"Two meta-learner factories are named '{factory.Name}'.");
            }
        }
    }

    /// <summary>Registered learner names, in registration order.</summary>
    public IReadOnlyList<string> Names => _factories.Keys.ToArray();

    public IReadOnlyList<IMetaLearnerFactory> Factories => _factories.Values.ToArray();

    public bool Contains(string name) => _factories.ContainsKey(name);

    public IMetaLearnerFactory Factory(string name) => _factories.TryGetValue(name, out var factory)
        ? factory
        : throw new KeyNotFoundException($"No meta-learner named '{name}'. Registered: {string.Join(", ", _factories.Keys)}.");

    public IMetaLearner Create(string name, LearnerSettings settings) => Factory(name).Create(settings);

    /// <summary>The registry of every learner in <see cref="LearnerRegistration.AddMetaLearners"/>, without a host (benchmarks, tests).</summary>
    public static MetaLearnerRegistry CreateDefault()
    {
        using var provider = new ServiceCollection().AddMetaLearners().BuildServiceProvider();
        return provider.GetRequiredService<MetaLearnerRegistry>();
    }
}
