using System.Runtime.InteropServices;

namespace MetaAnomaly.Dashboard.Security;

/// <summary>
/// Keeps what the host writes (the state database and its journal, the key ring, models, write-ahead log) readable by
/// its own user only: the process's file-creation mask becomes 077 (new files 0600, new folders 0700), and state files
/// an older version created are narrowed to 0600.
/// </summary>
internal static class PrivateStateFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const uint OwnerOnlyMask = 0b000_111_111;

    public static void Apply(string stateDatabasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        SetFileCreationMask(OwnerOnlyMask);
        foreach (var path in (string[])[stateDatabasePath, stateDatabasePath + "-wal", stateDatabasePath + "-shm"])
        {
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerReadWrite);
            }
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetFileCreationMask(uint mask);
}
