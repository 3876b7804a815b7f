using Cairn.Server.Accounts;
using Cairn.Tasks.Graph;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Server.Endpoints;

/// <summary>The workflow graph as JSON, with scopes (workspace, project, task, focus node), depth and kind filters.</summary>
public static class GraphEndpoints
{
    /// <summary>Maps /graph.</summary>
    public static RouteGroupBuilder MapGraph(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/graph").WithTags("Workflow graph").RequireAuthorization(CairnPolicies.Read);
        g.MapGet("/", Results<Ok<WorkflowGraph>, ProblemHttpResult> (GraphBuilder b, long? project, long? task, string? focus, int? depth, string? kinds) =>
        {
            var result = GraphScope.Select(b, project, task, focus, depth, kinds, out var error);
            return result is null ? TypedResults.Problem(title: "Invalid request", detail: error, statusCode: 400) : TypedResults.Ok(result);
        }).WithSummary("The workflow graph: whole workspace, or ?project=ID, ?task=ID, ?focus=NODE_ID with ?depth=N; ?kinds=task,project filters node kinds");
        g.MapPut("/nodes/{nodeId}", Results<NoContent, ProblemHttpResult> (string nodeId, NodeDescriptionRequest body, GraphBuilder b) =>
            b.Describe(nodeId, body.Description, body.Title)
                ? TypedResults.NoContent()
                : TypedResults.Problem(title: "Not editable", detail: $"node '{nodeId}' does not exist or has no description (editable: task:ID, project:ID, version:ID, model:ID)", statusCode: 404))
            .WithSummary("Edit a node's description (and title, for tasks and versions)").RequireAuthorization(CairnPolicies.Edit);
        return api;
    }
}
