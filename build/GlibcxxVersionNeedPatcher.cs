// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the PatchGlibcxxVersionNeed task (build/TorchSharpNative.targets),
// and by tests/MetaAnomaly.Shared.Tests (with ELF_PATCHER_WITHOUT_MSBUILD) to test the ELF logic without MSBuild.
#nullable enable
using System;
using System.IO;
using System.Text;

#if !ELF_PATCHER_WITHOUT_MSBUILD
public sealed class PatchGlibcxxVersionNeed : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    public string HostLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        var host = string.IsNullOrEmpty(HostLibStdCxx) ? GlibcxxVersionNeedPatcher.FindHostLibStdCxx() : HostLibStdCxx;
        if (host is not null && GlibcxxVersionNeedPatcher.HostProvides(host, Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "{0} provides {1}: TorchSharp's native library is left untouched.", host, Version);
            return true;
        }
        foreach (var library in Libraries)
        {
            var outcome = GlibcxxVersionNeedPatcher.MarkVersionNeedWeak(library.ItemSpec, Version);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "{0}: {1} version need {2} (host libstdc++ {3} lacks it).",
                library.ItemSpec, Version, outcome, host ?? "not found");
        }
        return !Log.HasLoggedErrors;
    }
}
#endif

public enum VersionNeedPatchOutcome { Patched, AlreadyWeak, NotNeeded }

/// <summary>
/// Marks one version requirement (for example GLIBCXX_3.4.32) of an ELF64 little-endian shared library as weak
/// (VER_FLG_WEAK in the Vernaux entry of .gnu.version_r), so the dynamic loader warns instead of refusing to load
/// when the host's libstdc++ lacks that version. Only safe when no relocation binds a symbol of that version.
/// </summary>
public static class GlibcxxVersionNeedPatcher
{
    private const ushort VersionFlagWeak = 0x2;
    private const uint SectionTypeGnuVersionNeed = 0x6ffffffe;

    public static string? FindHostLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>True when the library defines the version string (its dynamic string table names it).</summary>
    public static bool HostProvides(string libStdCxxPath, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(libStdCxxPath);
        for (var i = 0; i + needle.Length <= bytes.Length; i++)
        {
            if ((i == 0 || bytes[i - 1] == 0) && MatchesAt(bytes, i, needle))
            {
                return true;
            }
        }
        return false;
    }

    public static VersionNeedPatchOutcome MarkVersionNeedWeak(string libraryPath, string version)
    {
        var elf = File.ReadAllBytes(libraryPath);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException(libraryPath + " is not an ELF file.");
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException(libraryPath + " is not a little-endian ELF64 file.");
        }

        var sectionTable = (long)U64(elf, 0x28);
        int sectionEntrySize = U16(elf, 0x3a), sectionCount = U16(elf, 0x3c);
        for (var s = 0; s < sectionCount; s++)
        {
            var header = (int)(sectionTable + s * sectionEntrySize);
            if (U32(elf, header + 4) != SectionTypeGnuVersionNeed)
            {
                continue;
            }
            var stringTableHeader = (int)(sectionTable + (int)U32(elf, header + 0x28) * sectionEntrySize);
            var strings = (int)U64(elf, stringTableHeader + 0x18);
            var need = (int)U64(elf, header + 0x18);
            var needCount = (int)U32(elf, header + 0x2c);
            for (var n = 0; n < needCount; n++)
            {
                var aux = need + (int)U32(elf, need + 8);
                for (var a = 0; a < U16(elf, need + 2); a++)
                {
                    if (ReadString(elf, strings + (int)U32(elf, aux + 8)) == version)
                    {
                        var flags = U16(elf, aux + 4);
                        if ((flags & VersionFlagWeak) != 0)
                        {
                            return VersionNeedPatchOutcome.AlreadyWeak;
                        }
                        var patched = (ushort)(flags | VersionFlagWeak);
                        elf[aux + 4] = (byte)patched;
                        elf[aux + 5] = (byte)(patched >> 8);
                        File.WriteAllBytes(libraryPath, elf);
                        return VersionNeedPatchOutcome.Patched;
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                need += (int)U32(elf, need + 12);
            }
        }
        return VersionNeedPatchOutcome.NotNeeded;
    }

    private static bool MatchesAt(byte[] bytes, int at, byte[] needle)
    {
        for (var j = 0; j < needle.Length; j++)
        {
            if (bytes[at + j] != needle[j])
            {
                return false;
            }
        }
        return true;
    }

    private static ushort U16(byte[] b, int at) => (ushort)(b[at] | b[at + 1] << 8);

    private static uint U32(byte[] b, int at) => (uint)(U16(b, at) | U16(b, at + 2) << 16);

    private static ulong U64(byte[] b, int at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

    private static string ReadString(byte[] b, int at)
    {
        var end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
