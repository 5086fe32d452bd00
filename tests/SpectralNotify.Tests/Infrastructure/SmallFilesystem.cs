using System.Diagnostics;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// A tiny tmpfs of its own (<c>mount -t tmpfs -o size=…</c>, needs root), so a test can fill a disk
/// for real without touching any other file system. Unmounted on dispose.
/// </summary>
public sealed class SmallFilesystem : IAsyncDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// Mounts it, or skips the test with the reason when mounting is not permitted (no root, a
    /// container without CAP_SYS_ADMIN); with <c>CI=true</c> it fails instead, because a skipped
    /// fault test is not a pass.
    /// </summary>
    public static async Task<SmallFilesystem> MountAsync(string size)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "spectral-tests", "tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (code == 0)
        {
            return new SmallFilesystem(path);
        }
        Directory.Delete(path);
        var reason = $"cannot mount a tmpfs (mount exited {code}: {output.Trim()}); the disk-full test needs root";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true but {reason}.");
        }
        Console.WriteLine($"Skipping: {reason}.");
        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Fills the file system with <paramref name="name"/> until it is full, then gives back <paramref name="leaveFree"/> bytes.</summary>
    public string Fill(string name, long leaveFree)
    {
        var file = System.IO.Path.Combine(Path, name);
        var chunk = new byte[64 * 1024];
        using var handle = File.OpenHandle(file, FileMode.Create, FileAccess.Write);
        long offset = 0;
        try
        {
            while (true)
            {
                RandomAccess.Write(handle, chunk, offset);
                offset += chunk.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: full (a last chunk may be partly written; the length below counts it).
        }
        RandomAccess.SetLength(handle, Math.Max(0, RandomAccess.GetLength(handle) - leaveFree));
        return file;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            return (p.ExitCode, await stdout + await stderr);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message); // no mount binary
        }
    }

    public async ValueTask DisposeAsync()
    {
        var (code, output) = await RunAsync("umount", Path);
        if (code != 0)
        {
            // Still busy (a process kept a file open): detach it now, the kernel frees it when released.
            (code, output) = await RunAsync("umount", "-l", Path);
        }
        Assert.True(code == 0, $"umount {Path} failed: {output}");
        Directory.Delete(Path);
    }
}
