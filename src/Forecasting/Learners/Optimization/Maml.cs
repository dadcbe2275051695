namespace MetaAnomaly.Forecasting.Learners.Optimization;

/// <summary>
/// Model-Agnostic Meta-Learning: learns an initialisation from which a few gradient steps fit a new task.
/// Second order by default (the meta-gradient differentiates through the inner steps); FOMAML drops those terms.
/// </summary>
/// <remarks>
/// Finn, Abbeel and Levine, "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks", ICML 2017.
/// theta &lt;- theta - beta * grad_theta sum_t L_query_t(theta - alpha * grad L_support_t(theta)), the inner step
/// repeated <see cref="LearnerSettings.AdaptationSteps"/> times. First order: the Jacobian of the inner steps is
/// taken as the identity, so grad_theta = grad_phi L_query(phi) (section 5.2 of the paper).
/// </remarks>
internal sealed class Maml(string name, LearnerSettings settings) : GradientMetaLearner(name, settings);
