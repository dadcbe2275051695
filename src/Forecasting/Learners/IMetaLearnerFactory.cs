namespace MetaAnomaly.Forecasting.Learners;

/// <summary>Creates one kind of learner by name; registered once per learner with <c>AddMetaLearner&lt;T&gt;()</c>.</summary>
public interface IMetaLearnerFactory
{
    string Name { get; }

    LearnerFamily Family { get; }

    IMetaLearner Create(LearnerSettings settings);
}
