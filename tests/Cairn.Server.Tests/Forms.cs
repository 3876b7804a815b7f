using System.Net;
using System.Text.RegularExpressions;

namespace Cairn.Server.Tests;

/// <summary>Posts forms as a browser does: with the antiforgery token that the page rendered into the form.</summary>
internal static partial class Forms
{
    /// <summary>The form fields plus the token from <paramref name="pageUrl"/> (its cookie stays in the client's cookie jar).</summary>
    public static async Task<FormUrlEncodedContent> FromPageAsync(HttpClient http, string pageUrl, Dictionary<string, string> fields)
    {
        var html = await http.GetStringAsync(pageUrl);
        fields[Accounts.AuthenticationSetup.FormFieldName] = Token(html);
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>The antiforgery token of the first post form in a page.</summary>
    public static string Token(string html)
    {
        var m = TokenField().Match(html);
        Assert.True(m.Success, "the page has no antiforgery token field");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
