using MetaAnomaly.Forecasting.Engine;

namespace MetaAnomaly.Forecasting.Tests.Engine;

public sealed class NativeHeapTests
{
    [SkippableFact]
    public void GlibcAcceptsTheRetentionThresholds()
    {
        var glibc = OperatingSystem.IsLinux()
            && (File.Exists("/lib/x86_64-linux-gnu/libc.so.6") || File.Exists("/lib/aarch64-linux-gnu/libc.so.6"));
        Skip.IfNot(glibc, "mallopt is glibc's");

        Assert.True(NativeHeap.RetainFreedMemory());
    }
}
