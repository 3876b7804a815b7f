using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Accounts;

/// <summary>
/// Holds a task's token to its task: it may read (GET, HEAD) what its role may read, and write only
/// <c>/api/v1/tasks/{its task}</c> and below (log, progress, inputs, outputs, files, its node, cancel). Any other write is refused with 403.
/// </summary>
public static class TaskTokenGuard
{
    /// <summary>The middleware (after authorization).</summary>
    public static async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        var claim = http.User.FindFirst(CairnSchemes.TaskClaim)?.Value;
        var method = http.Request.Method;
        if (claim is null || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || Allows(claim, http.Request.Path))
        {
            await next();
            return;
        }

        await Problems.WriteAsync(http, StatusCodes.Status403Forbidden, "Forbidden",
            $"this token is task {claim}'s: it may read, and write only /api/v1/tasks/{claim} (log, progress, inputs, outputs, files), not {method} {http.Request.Path}");
    }

    /// <summary>Whether a task token for <paramref name="taskId"/> may write to <paramref name="path"/>.</summary>
    internal static bool Allows(string taskId, PathString path) =>
        long.TryParse(taskId, NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && path.StartsWithSegments("/api/v1/tasks/" + taskId, StringComparison.Ordinal);
}
