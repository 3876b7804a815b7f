using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Server.Endpoints;

/// <summary>Serves the UI's CSS and JavaScript, embedded in the assembly so the server needs no content folder.</summary>
public static class StaticEndpoints
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new();

    /// <summary>Maps /static/{name}.</summary>
    public static IEndpointRouteBuilder MapStatic(this IEndpointRouteBuilder app)
    {
        app.MapGet("/static/{**name}", (string name, HttpContext http) =>
        {
            var bytes = Cache.GetOrAdd(name, Load);
            if (bytes is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=300";
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                _ => "application/octet-stream",
            };
            return Results.Bytes(bytes, type);
        }).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/projects")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static byte[]? Load(string name)
    {
        var asm = Assembly.GetExecutingAssembly();
        using var s = asm.GetManifestResourceStream("static/" + name);
        if (s is null)
        {
            return null;
        }

        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
