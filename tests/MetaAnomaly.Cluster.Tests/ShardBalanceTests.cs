using MetaAnomaly.Cluster.Sharding;

namespace MetaAnomaly.Cluster.Tests;

public sealed class ShardBalanceTests
{
    private static readonly string[] ThreeNodes = ["a", "b", "c"];

    [Fact]
    public void ANodeThatJoinsGetsItsShareFromTheNodeThatHoldsEveryShard()
    {
        var placement = Enumerable.Range(0, 16).ToDictionary(s => s, _ => "a");

        var moves = ShardBalance.MovesOf("a", placement, ["a", "b"], limit: 100);

        Assert.Equal(8, moves.Count);
        Assert.All(moves, m => Assert.Equal("b", m.To));
        Assert.Equal(8, moves.Select(m => m.Shard).Distinct().Count());
        Assert.Empty(ShardBalance.MovesOf("b", placement, ["a", "b"], limit: 100));
    }

    [Fact]
    public void TheNodesTogetherMakeEachMoveOnceAndEndWithinOneShardOfEachOther()
    {
        var placement = new Dictionary<int, string>();
        for (var shard = 0; shard < 64; shard++)
        {
            placement[shard] = shard < 40 ? "a" : shard < 60 ? "b" : "c";
        }

        var moves = ThreeNodes.SelectMany(node => ShardBalance.MovesOf(node, placement, ThreeNodes, limit: 100).Select(m => (From: node, m.Shard, m.To))).ToArray();
        foreach (var (_, shard, to) in moves)
        {
            placement[shard] = to;
        }

        Assert.Equal(moves.Length, moves.Select(m => m.Shard).Distinct().Count());
        var counts = placement.Values.GroupBy(n => n).Select(g => g.Count()).ToArray();
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(", ", counts));
        Assert.DoesNotContain(moves, m => m.From == m.To);
    }

    [Fact]
    public void MovesStopAtTheLimitAndResumeFromTheNewPlacement()
    {
        var placement = Enumerable.Range(0, 12).ToDictionary(s => s, _ => "a");
        var passes = 0;
        while (ShardBalance.MovesOf("a", placement, ThreeNodes, limit: 2) is { Count: > 0 } moves)
        {
            Assert.True(moves.Count <= 2);
            foreach (var (shard, to) in moves)
            {
                placement[shard] = to;
            }
            passes++;
        }

        Assert.Equal(4, passes);
        Assert.All(ThreeNodes, node => Assert.Equal(4, placement.Values.Count(n => n == node)));
    }

    [Fact]
    public void NothingMovesWhileAShardIsOnANodeNoLongerLiveOrWhenTurnedOff()
    {
        var placement = new Dictionary<int, string> { [0] = "a", [1] = "a", [2] = "a", [3] = "gone" };

        Assert.Empty(ShardBalance.MovesOf("a", placement, ["a", "b"], limit: 4));
        placement[3] = "a";
        Assert.Empty(ShardBalance.MovesOf("a", placement, ["a", "b"], limit: 0));
        Assert.Empty(ShardBalance.MovesOf("a", placement, ["a"], limit: 4));
        Assert.Equal(2, ShardBalance.MovesOf("a", placement, ["a", "b"], limit: 4).Count);
    }
}
