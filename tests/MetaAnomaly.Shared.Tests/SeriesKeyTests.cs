using MetaAnomaly.Shared.Series;

namespace MetaAnomaly.Shared.Tests;

public sealed class SeriesKeyTests
{
    [Fact]
    public void TagOrderDoesNotChangeIdentity()
    {
        var a = new SeriesKey("cpu", [new("region", "eu"), new("host", "a")], "usage");
        var b = new SeriesKey("cpu", [new("host", "a"), new("region", "eu")], "usage");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal("cpu,host=a,region=eu#usage", a.ToString());
        Assert.Equal(["host", "region"], a.Tags.Select(t => t.Key));
    }

    [Fact]
    public void FieldIsPartOfIdentity()
    {
        var usage = new SeriesKey("cpu", [new("host", "a")], "usage");
        var idle = new SeriesKey("cpu", [new("host", "a")], "idle");

        Assert.NotEqual(usage, idle);
    }

    [Theory]
    [InlineData("cpu", "host", "a", "usage")]
    [InlineData("disk io", "path", "/var,log", "write=bytes")]
    [InlineData("we#ird", "k\\ey", "v=a l#ue", "fi,eld")]
    public void CanonicalTextRoundTripsEverySpecialCharacter(string measurement, string tagKey, string tagValue, string field)
    {
        var key = new SeriesKey(measurement, [new(tagKey, tagValue)], field);

        var parsed = SeriesKey.Parse(key.ToString());

        Assert.Equal(key, parsed);
        Assert.Equal(measurement, parsed.Measurement);
        Assert.Equal(tagValue, parsed.Tag(tagKey));
        Assert.Equal(field, parsed.Field);
    }

    [Fact]
    public void ParsesAKeyWithoutTags()
    {
        var key = SeriesKey.Parse("temperature#value");

        Assert.Equal("temperature", key.Measurement);
        Assert.Empty(key.Tags);
        Assert.Equal("value", key.Field);
    }

    [Theory]
    [InlineData("no-field")]
    [InlineData("#field")]
    [InlineData("cpu#")]
    [InlineData("cpu,host#usage")]
    [InlineData("cpu,=a#usage")]
    public void RejectsMalformedText(string text)
    {
        Assert.Throws<FormatException>(() => SeriesKey.Parse(text));
        Assert.False(SeriesKey.TryParse(text, out _));
    }
}
