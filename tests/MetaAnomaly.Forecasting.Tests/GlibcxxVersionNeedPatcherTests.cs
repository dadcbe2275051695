namespace MetaAnomaly.Forecasting.Tests;

public sealed class GlibcxxVersionNeedPatcherTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string _directory = Directory.CreateTempSubdirectory("glibcxx-patch-").FullName;

    [Fact]
    public void MarksTheVersionNeedWeakOnceAndChangesNothingElse()
    {
        var library = CopyOfPackagedLibrary();
        var original = File.ReadAllBytes(library);

        Assert.Equal(VersionNeedPatchOutcome.Patched, GlibcxxVersionNeedPatcher.MarkVersionNeedWeak(library, Version));
        var patched = File.ReadAllBytes(library);
        Assert.Equal(VersionNeedPatchOutcome.AlreadyWeak, GlibcxxVersionNeedPatcher.MarkVersionNeedWeak(library, Version));

        Assert.Equal(original.Length, patched.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        var only = Assert.Single(changed);
        Assert.Equal(0x2, patched[only] & ~original[only]);
        Assert.Equal(patched, File.ReadAllBytes(library));
    }

    [Fact]
    public void LeavesALibraryWithoutThatVersionNeedUntouched()
    {
        var library = CopyOfPackagedLibrary();
        var before = File.ReadAllBytes(library);

        Assert.Equal(VersionNeedPatchOutcome.NotNeeded, GlibcxxVersionNeedPatcher.MarkVersionNeedWeak(library, "GLIBCXX_9.9.99"));
        Assert.Equal(before, File.ReadAllBytes(library));
    }

    [Fact]
    public void HostCheckFindsTheVersionOnlyWhereTheLibraryDefinesIt()
    {
        var withVersion = Path.Combine(_directory, "with.so");
        var without = Path.Combine(_directory, "without.so");
        File.WriteAllBytes(withVersion, [.. "\0GLIBCXX_3.4.31\0"u8, .. "GLIBCXX_3.4.32\0"u8, 0x7f]);
        File.WriteAllBytes(without, [.. "\0GLIBCXX_3.4.30\0"u8, .. "XGLIBCXX_3.4.32\0"u8]);

        Assert.True(GlibcxxVersionNeedPatcher.HostProvides(withVersion, Version));
        Assert.False(GlibcxxVersionNeedPatcher.HostProvides(without, Version));
    }

    [Fact]
    public void RejectsAFileThatIsNotElf()
    {
        var text = Path.Combine(_directory, "not-elf.so");
        File.WriteAllText(text, new string('x', 128));

        Assert.Throws<InvalidDataException>(() => GlibcxxVersionNeedPatcher.MarkVersionNeedWeak(text, Version));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string CopyOfPackagedLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var packaged = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var copy = Path.Combine(_directory, "libLibTorchSharp.so");
        File.Copy(packaged, copy);
        return copy;
    }
}
