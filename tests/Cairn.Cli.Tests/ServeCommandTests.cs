namespace Cairn.Cli.Tests;

/// <summary>`cairn serve`'s safe defaults: loopback unless an admin user exists.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Help_suggests_no_address_open_to_every_network()
    {
        using var cli = new CliRunner();
        var help = cli.Run("serve", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("127.0.0.1", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--behind-proxy", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0", help.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", "0.0.0.0")]
    [InlineData("http://127.0.0.1:0;http://[::]:0", "[::]")]
    public void A_non_loopback_address_is_refused_before_anything_listens(string urls, string named)
    {
        using var cli = new CliRunner();
        var r = cli.Run("serve", "--urls", urls);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(
            $"error: refusing to listen on {named}: no admin user yet; create one with `cairn user add NAME --role admin`, or bind to 127.0.0.1 (--urls http://127.0.0.1:5180)",
            r.Stderr.Trim());
        Assert.DoesNotContain("Cairn serving", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unlocked_admin_lets_serve_bind_beyond_loopback_and_an_editor_does_not()
    {
        using var cli = new CliRunner();
        Assert.Equal(0, cli.RunWithInput("long enough password\n", "user", "add", "eve", "--role", "editor", "--password-stdin").ExitCode);

        // A port held by this test: once the policy lets serve through, binding fails on it and serve exits instead of serving.
        var held = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        held.Start();
        try
        {
            var urls = $"http://0.0.0.0:{((System.Net.IPEndPoint)held.LocalEndpoint).Port}";
            var editorOnly = cli.Run("serve", "--urls", urls);
            Assert.Equal(2, editorOnly.ExitCode);
            Assert.Contains("no admin user yet", editorOnly.Stderr, StringComparison.Ordinal);

            Assert.Equal(0, cli.RunWithInput("long enough password\n", "user", "add", "ana", "--role", "admin", "--password-stdin").ExitCode);
            var withAdmin = cli.Run("serve", "--urls", urls);
            Assert.Equal(1, withAdmin.ExitCode);
            Assert.DoesNotContain("no admin user yet", withAdmin.Stderr, StringComparison.Ordinal);
            Assert.Contains("is in use by another program", withAdmin.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            held.Stop();
        }
    }

    [Fact]
    public void A_trusted_proxy_that_is_not_an_address_is_refused_naming_the_option()
    {
        using var cli = new CliRunner();
        var r = cli.Run("serve", "--trusted-proxy", "proxy.local");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --trusted-proxy: expected an IP address such as 10.0.0.5, got 'proxy.local'", r.Stderr.Trim());
    }
}
