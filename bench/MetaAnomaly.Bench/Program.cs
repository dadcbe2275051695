using MetaAnomaly.Bench;

if (args.Length == 0 || BenchmarkCatalog.Find(args[0]) is not { } benchmark)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/MetaAnomaly.Bench -- <name> [arguments]");
    foreach (var known in BenchmarkCatalog.All)
    {
        Console.Error.WriteLine($"  {known.Name,-10} {known.Description}");
    }
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
BenchmarkResult result;
try
{
    result = await benchmark.RunAsync(args[1..], Console.Out, cancellation.Token);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"{benchmark.Name}: {e.Message}");
    return 1;
}
Console.WriteLine(result.ToResultLine(benchmark.Name));
return 0;
