using System.Text;

namespace MetaAnomaly.Bench.Faults;

/// <summary>Line protocol the scenarios write: one float field per line, second precision, 10 s steps.</summary>
internal static class Lines
{
    public static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 10 * 10;

    /// <summary>Steps <paramref name="firstStep"/>.. of <paramref name="hosts"/> hosts, the last of <paramref name="totalSteps"/> steps ending a minute ago.</summary>
    public static string Steps(string measurement, int hosts, int firstStep, int steps, int totalSteps, string hostPrefix = "h")
    {
        var text = new StringBuilder();
        for (var step = firstStep; step < firstStep + steps; step++)
        {
            for (var host = 0; host < hosts; host++)
            {
                text.Append(measurement).Append(",host=").Append(hostPrefix).Append(host).Append(" value=").Append(step)
                    .Append(' ').Append(Now - 60 - (totalSteps - 1 - step) * 10L).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The <c>dropped=N</c> of a partial-write answer; 0 when there is none.</summary>
    public static long Dropped(string answer)
    {
        var at = answer.IndexOf("dropped=", StringComparison.Ordinal);
        return at < 0 ? 0 : long.Parse(new string(answer[(at + 8)..].TakeWhile(char.IsAsciiDigit).ToArray()));
    }
}
