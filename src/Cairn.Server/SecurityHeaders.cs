using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server;

/// <summary>
/// The security headers every response carries (docs/security.md): a Content-Security-Policy without inline script
/// or style, no framing, no MIME sniffing, no cross-origin referrer. An endpoint that needs another policy (the graph
/// page's WebAssembly, the self-contained reports, served user bytes) sets its own before the response starts.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy of Cairn's own pages: scripts, styles and everything else from this origin only.</summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The workflow graph page's policy: the page policy plus 'wasm-unsafe-eval', which lets the vendored Graphviz
    /// compile its WebAssembly. It allows no JavaScript eval and no inline script.
    /// </summary>
    public const string GraphPagePolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The benchmark reports' policy: they are self-contained files (styles inline, so they open from disk), framed by
    /// Cairn's own benchmark page; sandboxed, no script at all.
    /// </summary>
    public const string ReportPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    /// <summary>Bytes that users stored (images, task files): nothing in them may run, whatever a browser takes them for.</summary>
    public const string UserContentPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

    /// <summary>
    /// The page policy when item images may come from <paramref name="imageOrigin"/> (an S3 bucket that the server
    /// sends browsers to with presigned URLs: docs/s3.md); <see cref="PagePolicy"/> when null.
    /// </summary>
    public static string PagePolicyWithImagesFrom(Uri? imageOrigin) =>
        imageOrigin is null ? PagePolicy : PagePolicy.Replace("img-src 'self' data:", "img-src 'self' data: " + imageOrigin.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);

    /// <summary>
    /// Adds the headers to every response that does not set them itself; <paramref name="pagePolicy"/> gives the
    /// default Content-Security-Policy (read once, on the first response), <see cref="PagePolicy"/> when null.
    /// </summary>
    public static IApplicationBuilder UseCairnSecurityHeaders(this IApplicationBuilder app, Func<string>? pagePolicy = null)
    {
        var policy = new Lazy<string>(pagePolicy ?? (static () => PagePolicy));
        return app.Use((context, next) =>
        {
            // On starting rather than now: the exception handler clears headers before it writes a problem, and an
            // endpoint's own policy (set while it runs) must win over the default.
            context.Response.OnStarting(state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.TryAdd("Content-Security-Policy", policy.Value);
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("Referrer-Policy", "same-origin");
                headers.TryAdd("X-Frame-Options", "DENY");
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
    }

    /// <summary>Gives a response another Content-Security-Policy; framing follows the policy's frame-ancestors.</summary>
    public static void SetPolicy(HttpResponse response, string policy)
    {
        response.Headers.ContentSecurityPolicy = policy;
        if (policy.Contains("frame-ancestors 'self'", StringComparison.Ordinal))
        {
            response.Headers.XFrameOptions = "SAMEORIGIN";
        }
    }

    /// <summary>
    /// Marks a response as user content: sandboxed, and downloaded rather than shown unless it is a raster image
    /// (an SVG or HTML file opened from Cairn's origin could otherwise run script there).
    /// </summary>
    public static void UserContent(HttpResponse response, string contentType)
    {
        SetPolicy(response, UserContentPolicy);
        if (!contentType.StartsWith("image/", StringComparison.Ordinal) || contentType.StartsWith("image/svg", StringComparison.Ordinal))
        {
            response.Headers.ContentDisposition = "attachment";
        }
    }
}
