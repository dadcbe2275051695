using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using MetaAnomaly.Testing;

namespace MetaAnomaly.Dashboard.Tests.Support;

/// <summary>
/// The dashboard as <c>dotnet publish</c> lays it out (from the build the tests were built with), in a folder the
/// process cannot write, run as a real process. As root it runs as the unprivileged user 65534 (nobody), the way the
/// container runs its non-root user; otherwise as the current user, with the folder made read-only.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PublishedApp : IAsyncLifetime
{
    public const int UnprivilegedId = 65534;

    private readonly string _root = Directory.CreateTempSubdirectory("metaanomaly-published-").FullName;

    public string Folder => Path.Combine(_root, "app");

    public static bool RunsAsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        var project = Path.Combine(TestEnvironment.RepositoryRoot, "src", "Dashboard", "MetaAnomaly.Dashboard.csproj");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var (code, output) = await RunAsync("/bin/sh", ["-c", $"umask 022 && exec dotnet publish \"{project}\" --no-build -c {configuration} -o \"{Folder}\" -nologo"]);
        Assert.True(code == 0, "dotnet publish failed:\n" + output);
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        await RunAsync("chmod", ["-R", "a-w", Folder]);
    }

    /// <summary>A state folder that only the app's user may write.</summary>
    public string NewStateFolder()
    {
        var state = Path.Combine(_root, "state-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(state);
        if (RunsAsRoot)
        {
            File.SetUnixFileMode(state, (UnixFileMode)0b111_000_000);
            Chown(state);
        }
        return state;
    }

    /// <summary>Starts the app with these settings (environment variables, <c>Section__Key</c>).</summary>
    public Running Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo
        {
            FileName = RunsAsRoot ? "setpriv" : "dotnet",
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (RunsAsRoot)
        {
            foreach (var argument in (string[])[$"--reuid={UnprivilegedId}", $"--regid={UnprivilegedId}", "--clear-groups", "dotnet"])
            {
                start.ArgumentList.Add(argument);
            }
        }
        start.ArgumentList.Add(Path.Combine(Folder, "MetaAnomaly.Dashboard.dll"));
        start.Environment["HOME"] = "/nonexistent";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return new Running(Process.Start(start)!);
    }

    public async Task DisposeAsync()
    {
        await RunAsync("chmod", ["-R", "u+w", _root]);
        Directory.Delete(_root, recursive: true);
    }

    private static void Chown(string path)
    {
        var (code, output) = RunAsync("chown", [$"{UnprivilegedId}:{UnprivilegedId}", path]).GetAwaiter().GetResult();
        Assert.True(code == 0, output);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A started app: its output so far, SIGTERM, and its exit.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public Running(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, line) => Append(line.Data);
            _process.ErrorDataReceived += (_, line) => Append(line.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public void Terminate()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        /// <summary>Waits for the exit; false when it has not exited within <paramref name="timeout"/>.</summary>
        public async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
