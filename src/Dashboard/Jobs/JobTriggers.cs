using Quartz;

namespace MetaAnomaly.Dashboard.Jobs;

/// <summary>Quartz triggers as a person reads them: their schedule, and what fired a run ("run now by admin", "schedule: cron ...").</summary>
internal static class JobTriggers
{
    /// <summary>The job data entry of a run started on request (<see cref="JobCatalog.RunNowAsync"/>): who asked.</summary>
    public const string RequestedBy = "metaanomaly.requested-by";

    /// <summary>The trigger's schedule in words; null for a one-off trigger.</summary>
    public static string? Schedule(ITrigger trigger) => trigger switch
    {
        ICronTrigger cron => $"cron {cron.CronExpressionString}",
        ISimpleTrigger { RepeatCount: 0 } => null,
        ISimpleTrigger simple => $"every {simple.RepeatInterval}",
        _ => trigger.Description,
    };

    /// <summary>What fired the run, instead of Quartz's generated name for an on-demand trigger.</summary>
    public static string FiredBy(IJobExecutionContext context)
    {
        if (context.MergedJobDataMap.TryGetString(RequestedBy, out var who) && who is not null)
        {
            return $"run now by {who}";
        }
        return Schedule(context.Trigger) is { } schedule ? $"schedule: {schedule}" : context.Trigger.Key.Name;
    }
}
