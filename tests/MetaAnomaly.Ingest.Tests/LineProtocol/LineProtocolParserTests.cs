using System.Text;
using MetaAnomaly.Ingest.LineProtocol;

namespace MetaAnomaly.Ingest.Tests.LineProtocol;

public sealed class LineProtocolParserTests
{
    private static (IReadOnlyList<LinePoint> Points, IReadOnlyList<LineError> Errors) Parse(string body) =>
        LineProtocolParser.ParseAll(Encoding.UTF8.GetBytes(body));

    private static LinePoint Single(string line)
    {
        var (points, errors) = Parse(line);
        Assert.Empty(errors);
        return Assert.Single(points);
    }

    [Fact]
    public void ReadsMeasurementTagsFieldsAndTimestamp()
    {
        var point = Single("cpu,host=a,region=eu usage=0.5,count=3i,total=7u,up=true,note=\"ok\" 1700000000000000000");

        Assert.Equal("cpu", point.Measurement);
        Assert.Equal([new("host", "a"), new("region", "eu")], point.Tags);
        Assert.Equal(
            [
                new("usage", FieldValue.Float(0.5)), new("count", FieldValue.Int(3)), new("total", FieldValue.UInt(7)),
                new("up", FieldValue.Bool(true)), new("note", FieldValue.String("ok")),
            ],
            point.Fields);
        Assert.Equal(1700000000000000000, point.Timestamp);
    }

    [Theory]
    [InlineData(@"my\ cpu,h\,o\=st=a\ b\,c\=d f\ i\,e\=ld=1", "my cpu", "h,o=st", "a b,c=d", "f i,e=ld")]
    [InlineData(@"cpu\\x,t\\=v\\ f=1", @"cpu\x", @"t\", @"v\", "f")]
    [InlineData(@"c\pu,t=v\q f\z=1", @"c\pu", "t", @"v\q", @"f\z")]
    [InlineData("cpu=1,t=v f=1", "cpu=1", "t", "v", "f")]
    [InlineData("ταχύτητα,τ=ü f=1", "ταχύτητα", "τ", "ü", "f")]
    public void UnescapesEveryEscapeCase(string line, string measurement, string tagKey, string tagValue, string field)
    {
        var point = Single(line);

        Assert.Equal(measurement, point.Measurement);
        Assert.Equal([new(tagKey, tagValue)], point.Tags);
        Assert.Equal(field, Assert.Single(point.Fields).Key);
    }

    [Fact]
    public void StringFieldsUnescapeQuotesAndBackslashesAndMaySpanLines()
    {
        var (points, errors) = Parse("m s=\"a \\\"q\\\" b\\\\ c,d=e\\n\" 1\nm s=\"two\nlines\" 2\nm f=1 3");

        Assert.Empty(errors);
        Assert.Equal(3, points.Count);
        Assert.Equal("a \"q\" b\\ c,d=e\\n", points[0].Fields[0].Value.Text);
        Assert.Equal("two\nlines", points[1].Fields[0].Value.Text);
        Assert.Equal(3, points[2].Timestamp);
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1.5e3", -1500.0)]
    [InlineData("1E-2", 0.01)]
    [InlineData(".5", 0.5)]
    [InlineData("+2.", 2.0)]
    public void ReadsFloats(string text, double expected) =>
        Assert.Equal(FieldValue.Float(expected), Single("m f=" + text).Fields[0].Value);

    [Theory]
    [InlineData("NaN")]
    [InlineData("Inf")]
    [InlineData("-Inf")]
    [InlineData("1e999")]
    public void ReadsNonFiniteFloatsSoTheyCanBeCountedAndSkipped(string text) =>
        Assert.False(double.IsFinite(Single("m f=" + text).Fields[0].Value.Number));

    [Theory]
    [InlineData("-9223372036854775808i", FieldKind.Integer)]
    [InlineData("18446744073709551615u", FieldKind.Unsigned)]
    [InlineData("t", FieldKind.Boolean)]
    [InlineData("FALSE", FieldKind.Boolean)]
    [InlineData("True", FieldKind.Boolean)]
    public void ReadsIntegersUnsignedAndBooleans(string text, FieldKind kind) =>
        Assert.Equal(kind, Single("m f=" + text).Fields[0].Value.Kind);

    [Fact]
    public void SkipsBlankLinesCommentsAndCarriageReturnsAndCountsLineNumbers()
    {
        var (points, errors) = Parse("# header\r\n\r\n   \ncpu f=1 10\r\n  # indented comment \"x\nbad\ncpu f=2 20\n");

        Assert.Equal([10L, 20L], points.Select(p => p.Timestamp!.Value));
        Assert.Equal(6, Assert.Single(errors).Line);
    }

    [Theory]
    [InlineData(",t=v f=1", "missing measurement")]
    [InlineData("cpu", "missing fields")]
    [InlineData("cpu ", "missing fields")]
    [InlineData("cpu,t f=1", "has no '='")]
    [InlineData("cpu,=v f=1", "empty tag key")]
    [InlineData("cpu,t= f=1", "empty value")]
    [InlineData("cpu,t=a=b f=1", "unescaped '='")]
    [InlineData("cpu f", "has no '='")]
    [InlineData("cpu =1", "empty field key")]
    [InlineData("cpu f=", "has no value")]
    [InlineData("cpu f=abc", "invalid value")]
    [InlineData("cpu f=1.5i", "invalid value")]
    [InlineData("cpu f=-1u", "invalid value")]
    [InlineData("cpu f=99999999999999999999i", "invalid value")]
    [InlineData("cpu f=\"open", "unterminated string")]
    [InlineData("cpu f=\"a\"b", "unexpected text")]
    [InlineData("cpu f=1 12x", "invalid timestamp")]
    [InlineData("cpu f=1 12 13", "unexpected text after the timestamp")]
    [InlineData("cpu f=1,", "has no '='")]
    public void MalformedLinesGiveTheirReason(string line, string reason)
    {
        var (points, errors) = Parse("ok f=1\n" + line + "\nok f=2");

        Assert.Equal(2, points.Count);
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.Contains(reason, error.Reason);
    }
}
