namespace NewsBot.Host.Benchmarks;

public static class BenchCommand
{
    public static Task<int> RunAsync(Hosting.HostSettings settings, bool json, CancellationToken cancellationToken) => Task.FromResult(0);
}
