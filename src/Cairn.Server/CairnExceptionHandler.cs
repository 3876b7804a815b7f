using System.Text.Json;
using Cairn.Core.Formats;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Cairn.Tasks;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Cairn.Storage.Tasks;

namespace Cairn.Server;

/// <summary>
/// Turns an exception no endpoint handled into a problem document that says what went wrong and what to do next,
/// instead of ASP.NET's bare "An error occurred". Unexpected exceptions are logged with their stack trace.
/// </summary>
public sealed class CairnExceptionHandler(IProblemDetailsService problems, ILogger<CairnExceptionHandler> log) : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            DatasetFormatException e => (400, "Invalid dataset", $"{e.Message}. Correct the file and send it again."),
            TaskValidationException e => (400, "Invalid request", e.Message),
            ProjectExistsException e => (409, "Name taken", $"{e.Message}. Send another name, or delete the old project first."),
            CorruptObjectException e => (500, "Corrupt object", $"{e.Message}. Run `cairn fsck` on the server's home to list every damaged object; re-import the data that holds it."),
            MissingObjectException e => (500, "Missing object", $"{e.Message}. Run `cairn fsck` on the server's home to list every missing object; re-import the data that holds it."),
            InvalidDataException e => (422, "Image cannot be decoded", e.Message),
            // The binder's own text names .NET types and parameters ("Failed to read parameter ... as JSON"): say where in
            // the body, and what the JSON reader found there.
            BadHttpRequestException { InnerException: JsonException j } => (400, "Invalid body", $"{j.Path ?? "$"}: {JsonProblem(j)}. Check the request against /api/v1/openapi.json."),
            BadHttpRequestException e => (e.StatusCode, "Bad request", $"{e.Message}. Check the request against /api/v1/openapi.json."),
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => (503, "Catalog busy", "Another writer held the catalog for longer than the busy timeout. Retry the request; if it keeps happening, look for a long-running import or task."),
            Npgsql.NpgsqlException { IsTransient: true } e => (503, "Catalog unavailable", $"The PostgreSQL catalog answered: {e.Message}. Retry the request; if it keeps happening, check the database server."),
            _ => (500, "Unexpected error", $"{exception.GetType().Name}: {exception.Message}. This is a bug in Cairn: the server log has the stack trace; please report it with the request that caused it."),
        };
        if (status >= 500)
        {
            log.LogError(exception, "{Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        }

        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (exception.InnerException is JsonException { } json)
        {
            problem.Extensions["field"] = json.Path ?? "$";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    private static string JsonProblem(JsonException e) => e.Message switch
    {
        var m when m.Contains("could not be converted", StringComparison.Ordinal) => "the value has the wrong type for this field",
        var m when m.Contains("missing required properties", StringComparison.Ordinal) => "a required field is missing: " + m[(m.IndexOf("including:", StringComparison.Ordinal) + 10)..].Trim().TrimEnd('.'),
        var m => "not valid JSON: " + m.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' '),
    };
}
