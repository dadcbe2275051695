using MetaAnomaly.Ingest.LineProtocol;

namespace MetaAnomaly.Ingest.Tests.LineProtocol;

/// <summary>Property: parsing what the writer wrote gives back the same points, over random inputs.</summary>
public sealed class LineProtocolRoundTripTests
{
    private const string Alphabet = "ab Z9_,= \\\"#\t.-éß✓";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WriteThenParseGivesTheSamePoints(int seed)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, 2000).Select(_ => RandomPoint(random)).ToArray();
        var writer = new LineProtocolWriter();
        foreach (var point in points)
        {
            writer.Write(point);
        }

        var (parsed, errors) = LineProtocolParser.ParseAll(writer.Written.Span);

        Assert.True(errors.Count == 0, string.Join("; ", errors.Take(3)));
        Assert.Equal(points.Length, parsed.Count);
        for (var i = 0; i < points.Length; i++)
        {
            Assert.Equal(points[i], parsed[i]);
        }
    }

    [Fact]
    public void WriterRefusesWhatLineProtocolCannotCarry()
    {
        var writer = new LineProtocolWriter();
        Assert.Throws<ArgumentException>(() => writer.Write("#m", [], [new("f", FieldValue.Float(1))], null));
        Assert.Throws<ArgumentException>(() => writer.Write("m", [], [], null));
        Assert.Throws<ArgumentException>(() => writer.Write("m\nx", [], [new("f", FieldValue.Float(1))], null));
        Assert.Throws<ArgumentException>(() => writer.Write("m", [], [new("f", FieldValue.Float(double.NaN))], null));
    }

    private static LinePoint RandomPoint(Random random)
    {
        var measurement = Name(random);
        while (measurement[0] is '#' or ' ' or '\t')
        {
            measurement = Name(random);
        }
        var tags = Enumerable.Range(0, random.Next(4)).Select(_ => new KeyValuePair<string, string>(Name(random), Name(random))).ToArray();
        var fields = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => new KeyValuePair<string, FieldValue>(Name(random), Value(random))).ToArray();
        long? stamp = random.Next(4) == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue);
        return new LinePoint(measurement, tags, fields, stamp);
    }

    private static string Name(Random random) =>
        new(Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());

    private static FieldValue Value(Random random) => random.Next(5) switch
    {
        0 => FieldValue.Float(random.Next(3) switch
        {
            0 => random.NextDouble() * 1000 - 500,
            1 => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : 0.25,
            _ => random.Next(-100, 100),
        }),
        1 => FieldValue.Int(random.NextInt64(long.MinValue, long.MaxValue)),
        2 => FieldValue.UInt((ulong)random.NextInt64() * 2 + (ulong)random.Next(2)),
        3 => FieldValue.Bool(random.Next(2) == 0),
        _ => FieldValue.String(new string(Enumerable.Range(0, random.Next(10)).Select(_ => (Alphabet + "\n")[random.Next(Alphabet.Length + 1)]).ToArray())),
    };
}
