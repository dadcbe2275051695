using MetaAnomaly.Detection.Events;
using MetaAnomaly.Detection.Muting;

namespace MetaAnomaly.Detection.Tests.Muting;

public sealed class MaintenanceWindowTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AOneOffWindowCoversOnlyItsOwnSpan()
    {
        var window = Window(MaintenanceRecurrence.None);

        Assert.True(window.Covers(Monday));
        Assert.True(window.Covers(Monday.AddMinutes(59)));
        Assert.False(window.Covers(Monday.AddHours(1)));
        Assert.False(window.Covers(Monday.AddDays(1)));
    }

    [Fact]
    public void ARecurringWindowRepeatsEveryPeriodFromItsFirstOccurrence()
    {
        var daily = Window(MaintenanceRecurrence.Daily);
        var weekly = Window(MaintenanceRecurrence.Weekly);

        Assert.False(daily.Covers(Monday.AddMinutes(-1)));
        Assert.True(daily.Covers(Monday.AddDays(3).AddMinutes(30)));
        Assert.False(daily.Covers(Monday.AddDays(3).AddHours(2)));
        Assert.False(weekly.Covers(Monday.AddDays(3).AddMinutes(30)));
        Assert.True(weekly.Covers(Monday.AddDays(14).AddMinutes(30)));
        Assert.Equal(
            [(Monday.AddDays(1), Monday.AddDays(1).AddHours(1)), (Monday.AddDays(2), Monday.AddDays(2).AddHours(1))],
            daily.Occurrences(Monday.AddHours(12), Monday.AddDays(2).AddMinutes(10)));
    }

    [Fact]
    public void AWindowAppliesToItsSeriesPatternAndClusterOrToEverySeries()
    {
        var global = Window(MaintenanceRecurrence.None);
        var byPattern = global with { SeriesPattern = "*rds*" };
        var byCluster = global with { ClusterId = "c2" };

        Assert.True(global.Applies("cpu,host=a#usage", null));
        Assert.True(byPattern.Applies("db,instance=rds-1#connections", "c1"));
        Assert.False(byPattern.Applies("cpu,host=a#usage", "c1"));
        Assert.True(byCluster.Applies("cpu,host=a#usage", "c2"));
        Assert.False(byCluster.Applies("cpu,host=a#usage", "c1"));
    }

    [Fact]
    public void ARecurringWindowLongerThanItsPeriodIsRejected()
    {
        var request = new MaintenanceWindowRequest("backup", Monday, Monday.AddHours(25), Recurrence: MaintenanceRecurrence.Daily);

        Assert.Contains(nameof(MaintenanceWindowRequest.End), request.Validate().Keys);
        Assert.Empty((request with { End = Monday.AddHours(2) }).Validate());
    }

    private static MaintenanceWindow Window(MaintenanceRecurrence recurrence) =>
        new(1, "backup", null, null, Monday, Monday.AddHours(1), recurrence, "admin", Monday);
}
