namespace MetaAnomaly.Testing;

/// <summary>
/// What a kill -9 leaves on disk: a copy of a running host's state folder, taken without stopping it (no final
/// snapshot, no orderly close). A new host started on the copy is a host restarted after the kill.
/// </summary>
public static class CrashImage
{
    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = File.Create(target);
            source.CopyTo(copy);
        }
    }
}
