using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>`cairn user` and `cairn token` on a real home (SQLite catalog), each command a child process.</summary>
public sealed class AccountCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    [Fact]
    public void Users_are_added_listed_given_roles_and_removed_and_bad_input_is_named()
    {
        var none = _cli.Run("user", "list");
        Assert.Equal(0, none.ExitCode);
        Assert.Contains("single-user mode", none.Stdout);

        Assert.Equal(0, _cli.RunWithInput("long enough password\n", "user", "add", "ana", "--role", "admin", "--password-stdin").ExitCode);
        var shortPassword = _cli.RunWithInput("short\n", "user", "add", "bo", "--role", "viewer", "--password-stdin");
        Assert.Equal(1, shortPassword.ExitCode);
        Assert.Contains("at least 8 characters", shortPassword.Stderr);
        var badRole = _cli.RunWithInput("long enough password\n", "user", "add", "bo", "--role", "boss", "--password-stdin");
        Assert.Equal(2, badRole.ExitCode);
        Assert.Contains("--role: expected viewer, editor or admin, got \"boss\"", badRole.Stderr);
        var taken = _cli.RunWithInput("long enough password\n", "user", "add", "ana", "--role", "viewer", "--password-stdin");
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("ana", taken.Stderr);
        Assert.Equal(0, _cli.RunWithInput("another long password\n", "user", "add", "bo", "--password-stdin").ExitCode);

        Assert.Equal(0, _cli.Run("user", "role", "bo", "editor").ExitCode);
        Assert.Equal(1, _cli.Run("user", "role", "nobody", "editor").ExitCode);
        var list = JsonDocument.Parse(_cli.Run("user", "list", "--json").Stdout).RootElement;
        Assert.Equal(["ana:admin", "bo:editor"], list.EnumerateArray().Select(u => $"{u.GetProperty("name").GetString()}:{u.GetProperty("role").GetString()}").ToArray());

        Assert.Equal(0, _cli.Run("user", "remove", "bo").ExitCode);
        Assert.Single(JsonDocument.Parse(_cli.Run("user", "list", "--json").Stdout).RootElement.EnumerateArray());
    }

    [Fact]
    public void A_token_is_printed_once_listed_without_itself_and_revoked()
    {
        Assert.Equal(2, _cli.Run("token", "create").ExitCode); // no user yet: tokens belong to users
        Assert.Equal(0, _cli.RunWithInput("long enough password\n", "user", "add", "ana", "--role", "admin", "--password-stdin").ExitCode);
        var badExpiry = _cli.Run("token", "create", "--expires", "forever");
        Assert.Equal(2, badExpiry.ExitCode);
        Assert.Contains("--expires: expected a lifetime such as 30d", badExpiry.Stderr);

        var created = JsonDocument.Parse(_cli.Run("token", "create", "--scope", "write", "--expires", "30d", "--json").Stdout).RootElement;
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith("cairn_", token);
        Assert.True(token.Length > 40);
        var listed = _cli.Run("token", "list", "--json");
        Assert.DoesNotContain(token, listed.Stdout);
        Assert.Contains("\"scope\": \"write\"", listed.Stdout);

        var id = created.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, _cli.Run("token", "revoke", id).ExitCode);
        Assert.Equal(1, _cli.Run("token", "revoke", id).ExitCode);
    }

    /// <inheritdoc/>
    public void Dispose() => _cli.Dispose();
}
