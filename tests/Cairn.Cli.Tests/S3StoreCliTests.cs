using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

/// <summary>The --store option and CAIRN_STORE: a home on an S3 bucket (s3rver, a stand-in; see S3Server).</summary>
public sealed class S3StoreCliTests : IDisposable
{
    private readonly S3Server _s3 = new();
    private readonly TempDir _dir = new("cairn-cli-s3-");
    private readonly string _location;

    public S3StoreCliTests() => _location = _s3.Location("cli");

    public void Dispose()
    {
        _dir.Dispose();
        _s3.Dispose();
    }

    private static Dictionary<string, string> Credentials(string key = S3Server.AccessKey, string secret = S3Server.SecretKey) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = key,
        ["AWS_SECRET_ACCESS_KEY"] = secret,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["CAIRN_STORE"] = string.Empty,
    };

    private static CliResult Cairn(Dictionary<string, string> env, params string[] args)
    {
        using var p = new ChildProcess("dotnet", [CliRunner.FullCliDll, .. args], env);
        return p.Result();
    }

    [Fact]
    public void An_import_into_a_home_on_S3_is_versioned_checked_and_the_home_refuses_another_store()
    {
        var home = _dir["home"];
        var import = Cairn(Credentials(), "--store", _location, "import", "coco", SharedData.Resolve("tiny-coco"), "-p", "t", "--annotations", "annotations/instances_val2017.json", "--home", home, "--json");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal(_location, File.ReadAllText(Path.Combine(home, "store.conf")).Trim());
        Assert.False(Directory.Exists(Path.Combine(home, "objects")));

        // The home remembers its store: later commands name none.
        var versions = Cairn(Credentials(), "version", "list", "t", "--home", home, "--json");
        Assert.True(versions.ExitCode == 0, versions.Stderr);
        Assert.Equal(1, versions.Json().GetProperty("versions").GetArrayLength());
        var fsck = Cairn(Credentials(), "fsck", "--home", home);
        Assert.True(fsck.ExitCode == 0, fsck.Stdout + fsck.Stderr);

        var other = Cairn(Credentials(), "project", "list", "--home", home, "--store", _s3.Location("elsewhere"));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("Open it without --store", other.Stderr, StringComparison.Ordinal);
        var env = Credentials();
        env["CAIRN_STORE"] = "local";
        var local = Cairn(env, "project", "list", "--home", home);
        Assert.Equal(2, local.ExitCode);
    }

    [Fact]
    public void The_native_front_takes_store_too()
    {
        var home = _dir["native"];
        var env = Credentials();
        env["CAIRN_CLI_DLL"] = CliRunner.FullCliDll;
        CliResult Native(params string[] args)
        {
            using var p = new ChildProcess(NativeFront.Executable, args, env);
            return p.Result();
        }

        var import = Native("--store", _location, "import", "coco", SharedData.Resolve("tiny-coco"), "-p", "t", "--annotations", "annotations/instances_val2017.json", "--home", home, "--json");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal(_location, File.ReadAllText(Path.Combine(home, "store.conf")).Trim());
        Assert.Equal(1, Native("version", "list", "t", "--home", home, "--json").Json().GetProperty("versions").GetArrayLength());
        var other = Native("project", "list", "--home", home, "--store", _s3.Location("elsewhere"));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("Open it without --store", other.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_wrong_credentials_are_named_with_the_endpoint_and_bucket()
    {
        var missing = Credentials(string.Empty, string.Empty);
        missing["AWS_SHARED_CREDENTIALS_FILE"] = _dir["no-credentials"];
        missing["AWS_CONFIG_FILE"] = _dir["no-config"];
        var none = Cairn(missing, "project", "list", "--home", _dir["a"], "--store", _location);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains(_s3.Endpoint, none.Stderr, StringComparison.Ordinal);
        Assert.Contains($"'{_s3.Bucket}'", none.Stderr, StringComparison.Ordinal);
        Assert.Contains("AWS_ACCESS_KEY_ID", none.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["a/store.conf"]), "a store that did not answer is not recorded");

        var wrong = Cairn(Credentials(secret: "not the secret"), "project", "list", "--home", _dir["b"], "--store", _location);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("SignatureDoesNotMatch", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains(_s3.Endpoint, wrong.Stderr, StringComparison.Ordinal);
    }
}
