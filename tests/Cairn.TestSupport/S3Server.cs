using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cairn.TestSupport;

/// <summary>
/// An S3-protocol server for the S3 object store tests: s3rver (an npm package, installed by <c>npm ci --prefix
/// tests/s3rver</c>; .ci/run does it) started through tests/s3rver/server.js, which checks AWS Signature Version 4 in
/// full (s3rver alone does not), on a free loopback port with a temporary data folder and a bucket; killed on dispose. It is a stand-in for S3, not an S3: the store must not rely on
/// anything only it accepts. Its one key pair is <see cref="AccessKey"/>/<see cref="SecretKey"/>.
/// </summary>
public sealed class S3Server : IDisposable
{
    /// <summary>The access key s3rver accepts (fixed by s3rver).</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret key s3rver accepts (fixed by s3rver).</summary>
    public const string SecretKey = "S3RVER";

    private readonly System.Text.StringBuilder _log = new();
    private readonly Process _process;
    private readonly TempDir _data = new("cairn-s3rver");

    /// <summary>
    /// Starts a server with one bucket, <paramref name="bucket"/>, and waits until it answers. With
    /// <paramref name="logRequests"/>, <see cref="RequestArrived"/> hears of every request as it arrives.
    /// </summary>
    public S3Server(string bucket = "cairn-test", bool logRequests = false)
    {
        Bucket = bucket;
        var script = FindScript();
        Port = FreePort();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver's ListObjectsV2 continuation tokens are DES-encrypted, which OpenSSL 3 keeps in its legacy provider:
        // without this flag every listing of more than 1,000 keys answers 500.
        foreach (var a in (string[])["--openssl-legacy-provider", script, "--directory", _data.Path, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bucket", bucket, "--log-requests", logRequests ? "true" : "false"])
        {
            info.ArgumentList.Add(a);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("node did not start (apt-get install nodejs)");
        var log = _log;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("REQ ", StringComparison.Ordinal))
            {
                RequestArrived?.Invoke(line[4..]);
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > until)
            {
                Dispose();
                lock (log)
                {
                    throw new InvalidOperationException($"s3rver did not answer on 127.0.0.1:{Port} within 30 s: {log}");
                }
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>
    /// Raised (on a reader thread) with <c>METHOD URL</c> when a request arrives, before it is handled (its body may
    /// still be on the way); only for a server started with <c>logRequests</c>.
    /// </summary>
    public event Action<string>? RequestArrived;

    /// <summary>What the server printed besides the request lines (start-up, and the cause of each 500 it answered).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The bucket it was started with.</summary>
    public string Bucket { get; }

    /// <summary>The endpoint URL, e.g. http://127.0.0.1:40123.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The folder s3rver keeps the bucket's objects in (tests may damage them there).</summary>
    public string DataPath => _data.Path;

    /// <summary>A store location in the bucket under <paramref name="prefix"/>, path-style, as a home would record it.</summary>
    public string Location(string prefix) => $"s3://{Bucket}/{prefix}?endpoint={Endpoint}&region=us-east-1&path-style=true";

    /// <summary>Sets the test credentials in this process's environment (the AWS chain reads them from there).</summary>
    public static void UseTestCredentials()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretKey);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>Stops the server and removes its data.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _data.Dispose();
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    // tests/s3rver/server.js (s3rver with full SigV4 checks), found from the test's folder upwards, once installed.
    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tests", "s3rver", "server.js");
            if (File.Exists(script) && Directory.Exists(Path.Combine(dir.FullName, "tests", "s3rver", "node_modules", "s3rver")))
            {
                return script;
            }
        }

        throw new InvalidOperationException("s3rver is not installed: run 'npm ci --prefix tests/s3rver' in the repository (the S3 object store tests need it; .ci/run does it).");
    }
}
