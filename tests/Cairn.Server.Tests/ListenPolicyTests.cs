namespace Cairn.Server.Tests;

/// <summary>Which addresses serve binds before an admin user exists.</summary>
public sealed class ListenPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5180")]
    [InlineData("http://localhost:5180")]
    [InlineData("http://[::1]:5180")]
    [InlineData("http://127.0.0.2:80;http://localhost:81")]
    [InlineData("http://unix:/run/cairn.sock")]
    public void Loopback_is_served_without_an_admin(string urls)
    {
        var asked = false;
        Assert.Null(ListenPolicy.Refusal(urls, () => asked = true));
        Assert.False(asked, "the user store was asked about a loopback address");
    }

    [Theory]
    [InlineData("http://0.0.0.0:5180", "0.0.0.0")]
    [InlineData("http://*:5180", "*")]
    [InlineData("http://+:5180", "+")]
    [InlineData("http://[::]:5180", "[::]")]
    [InlineData("http://192.168.1.20:5180", "192.168.1.20")]
    [InlineData("http://127.0.0.1:5180;http://cairn.example.org:80", "cairn.example.org")]
    public void Another_address_is_refused_until_an_admin_exists(string urls, string named)
    {
        var refusal = ListenPolicy.Refusal(urls, () => false);
        Assert.Equal($"refusing to listen on {named}: no admin user yet; create one with `cairn user add NAME --role admin`, or bind to 127.0.0.1 (--urls http://127.0.0.1:5180)", refusal);
        Assert.Null(ListenPolicy.Refusal(urls, () => true));
    }
}
