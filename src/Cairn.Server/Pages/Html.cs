using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Pages;

/// <summary>Small helpers for the server-rendered pages: encoding, the page layout, number formatting.</summary>
public static class Html
{
    /// <summary>HTML-encodes text.</summary>
    public static string H(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Formats a number in invariant culture with up to 2 decimals (for SVG coordinates).</summary>
    public static string N(double v) => Math.Round(v, 2).ToString(CultureInfo.InvariantCulture);

    /// <summary>A byte count in binary units, as the CLI writes it.</summary>
    public static string Bytes(long bytes) => Core.Text.ByteSize.Format(bytes);

    /// <summary>
    /// A small colour square. SVG's fill attribute rather than an inline style, which the Content-Security-Policy blocks;
    /// a colour that is not one leaves the square unfilled.
    /// </summary>
    public static string Swatch(string? color) =>
        $"<svg class=\"swatch\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"3\" fill=\"{H(color)}\"/></svg>";

    /// <summary>A whole page: header with navigation, breadcrumbs, then the body.</summary>
    public static IResult Page(string title, IEnumerable<(string Text, string? Href)> crumbs, string body, string? scripts = null, int statusCode = 200)
    {
        var sb = new StringBuilder(body.Length + 2048);
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<title>").Append(H(title)).Append(" · Cairn</title><link rel=\"stylesheet\" href=\"/static/cairn.css\"></head><body>");
        sb.Append("<header class=\"top\"><a class=\"brand\" href=\"/\">&#9650; Cairn</a><nav>");
        sb.Append("<a href=\"/projects\">Projects</a><a href=\"/tasks\">Tasks</a><a href=\"/graph\">Workflow</a><a href=\"/models\">Models</a><a href=\"/evaluations\">Benchmarks</a><a href=\"/api/v1/openapi.json\">API</a>");
        sb.Append("</nav>").Append(PageResult.UserMarker).Append("</header><main>");
        sb.Append("<nav class=\"crumbs\">");
        var first = true;
        foreach (var (text, href) in crumbs)
        {
            if (!first)
            {
                sb.Append("<span class=\"sep\">/</span>");
            }

            first = false;
            sb.Append(href is null ? $"<span>{H(text)}</span>" : $"<a href=\"{H(href)}\">{H(text)}</a>");
        }

        sb.Append("</nav>");
        sb.Append(body);
        sb.Append("</main>");
        if (scripts is not null)
        {
            sb.Append(scripts);
        }

        sb.Append("</body></html>");
        return new PageResult(sb.ToString(), statusCode);
    }

    /// <summary>A page saying something was not found, with status 404.</summary>
    public static IResult NotFoundPage(string what) =>
        Results.Content(
            $"<!doctype html><html><head><title>Not found · Cairn</title><link rel=\"stylesheet\" href=\"/static/cairn.css\"></head><body><main><h1>Not found</h1><p>{H(what)}</p><p><a href=\"/projects\">Back to projects</a></p></main></body></html>",
            "text/html; charset=utf-8",
            statusCode: 404);
}
