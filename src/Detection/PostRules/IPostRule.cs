namespace MetaAnomaly.Detection.PostRules;

/// <summary>
/// One stateful step after the residual scorer, for one series: reads the point's assessment so far, may excuse it,
/// calibrate or raise its surprise, or decide its verdict, and says why in words. The rules run in their registration
/// order in <c>AddDetection</c>, every point through every rule, so each rule's state sees every scored point.
/// </summary>
internal interface IPostRule
{
    void Apply(PointAssessment point);
}
