using System.Security.Cryptography;

namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// A folder of pretrained weights files under their reference names (for example
/// <c>mobilenet_v2-b0353104.pth</c>), each checked against its SHA-256 before use, and downloaded when missing and a
/// network is reachable.
/// </summary>
/// <remarks>
/// <para>The folder is, in order: the directory passed to the constructor; the <c>MLNET_NETS_WEIGHTS</c> environment
/// variable; <c>$XDG_CACHE_HOME/mlnet-nets/weights</c>; <c>~/.cache/mlnet-nets/weights</c> (on Windows
/// <c>%LOCALAPPDATA%\mlnet-nets\weights</c>).</para>
/// <para>A download streams into a temporary file in the same folder while hashing; only a file whose hash matches is
/// renamed to its final name, so the cache never holds a partial or wrong file. Offline, the error names the file,
/// where to download it from and the folder to put it in.</para>
/// </remarks>
public sealed class WeightsCache
{
    /// <summary>The environment variable that overrides the default cache folder.</summary>
    public const string EnvironmentVariable = "MLNET_NETS_WEIGHTS";

    private readonly HttpClient? _httpClient;

    /// <summary>Creates a cache over <paramref name="directory"/> (or <see cref="DefaultDirectory"/>).</summary>
    /// <param name="directory">The cache folder; null selects <see cref="DefaultDirectory"/>. Created on first download.</param>
    /// <param name="allowDownload">When false a missing file is an error and nothing is fetched (default true).</param>
    /// <param name="httpClient">The client for downloads; null uses a private client with a 30-minute timeout.</param>
    public WeightsCache(string? directory = null, bool allowDownload = true, HttpClient? httpClient = null)
    {
        Directory = Path.GetFullPath(directory ?? DefaultDirectory);
        AllowDownload = allowDownload;
        _httpClient = httpClient;
    }

    /// <summary>The cache folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>Whether missing files are downloaded.</summary>
    public bool AllowDownload { get; }

    /// <summary>The default folder: <c>MLNET_NETS_WEIGHTS</c>, else the user's cache directory + <c>mlnet-nets/weights</c>.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
            if (OperatingSystem.IsWindows())
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "mlnet-nets", "weights");
            }
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "mlnet-nets", "weights");
        }
    }

    /// <summary>Where <paramref name="file"/> lives in this cache (whether or not it is there).</summary>
    public string PathFor(KnownWeightsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Path.Combine(Directory, file.FileName);
    }

    /// <summary>
    /// The path of <paramref name="file"/> in the cache after verifying its SHA-256; downloads it first when it is
    /// missing (or fails verification) and <see cref="AllowDownload"/> is true.
    /// </summary>
    /// <param name="file">The registry entry (see <see cref="KnownWeights"/>).</param>
    /// <param name="progress">Receives the number of bytes downloaded so far (not called when the file is cached).</param>
    /// <param name="cancellationToken">Cancels a download; the partial file is removed.</param>
    /// <returns>The verified file's path.</returns>
    /// <exception cref="FileNotFoundException">The file is not cached and cannot be downloaded; the message names the
    /// file, its address and the folder to put it in.</exception>
    /// <exception cref="InvalidDataException">The cached or downloaded file's SHA-256 does not match.</exception>
    public async Task<string> GetAsync(KnownWeightsFile file, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        string path = PathFor(file);
        string? mismatch = null;
        if (File.Exists(path))
        {
            string actual = await HashFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (file.Matches(actual)) return path;
            mismatch = $"The cached file {path} has SHA-256 {actual}, which does not match the expected {file.Sha256Prefix}.";
            if (!AllowDownload)
            {
                throw new InvalidDataException($"{mismatch} Delete it and download {file.Url} again.");
            }
        }
        if (!AllowDownload)
        {
            throw NotAvailable(file, "downloads are disabled for this cache");
        }
        await DownloadAsync(file, progress, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Synchronous form of <see cref="GetAsync(KnownWeightsFile, IProgress{long}?, CancellationToken)"/>.</summary>
    /// <param name="file">The registry entry.</param>
    /// <param name="progress">Receives the number of bytes downloaded so far.</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    /// <returns>The verified file's path.</returns>
    public string Get(KnownWeightsFile file, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => GetAsync(file, progress, cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Downloads <paramref name="file"/> into the cache: streams it to a temporary file while hashing, checks the
    /// SHA-256, then renames it to its final name (replacing any earlier copy). On any failure nothing is left behind.
    /// </summary>
    /// <param name="file">The registry entry.</param>
    /// <param name="progress">Receives the cumulative number of bytes received.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The path of the downloaded file.</returns>
    /// <exception cref="FileNotFoundException">The server cannot be reached or answers with an error.</exception>
    /// <exception cref="InvalidDataException">The downloaded bytes do not match the expected SHA-256.</exception>
    public async Task<string> DownloadAsync(KnownWeightsFile file, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        string path = PathFor(file);
        System.IO.Directory.CreateDirectory(Directory);
        string temp = Path.Combine(Directory, $".{file.FileName}.{Guid.NewGuid():N}.part");
        var client = _httpClient ?? SharedClient.Value;
        try
        {
            string actual;
            try
            {
                using var response = await client.GetAsync(file.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw NotAvailable(file, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }
                await using var input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;
                    progress?.Report(total);
                }
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            catch (HttpRequestException e)
            {
                throw NotAvailable(file, e.Message, e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw NotAvailable(file, "the download timed out", e);
            }
            if (!file.Matches(actual))
            {
                throw new InvalidDataException(
                    $"Downloaded {file.FileName} from {file.Url} has SHA-256 {actual}, which does not match the expected {file.Sha256Prefix}; the file was discarded.");
            }
            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            if (File.Exists(temp))
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>The SHA-256 of a file as 64 lower-case hex digits.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private FileNotFoundException NotAvailable(KnownWeightsFile file, string reason, Exception? inner = null) =>
        new($"Pretrained weights '{file.Name}' are not available: {file.FileName} is not in the cache folder {Directory} " +
            $"and could not be downloaded ({reason}). Download {file.Url} and put it in {Directory} as {file.FileName} " +
            $"(or set {EnvironmentVariable} to the folder that holds it).",
            PathFor(file), inner);

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(30) });
}
