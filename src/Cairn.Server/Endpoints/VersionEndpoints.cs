using Cairn.Server.Accounts;
using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Server.Endpoints;

/// <summary>REST endpoints for versions: list, show, create, diff, restore, browse, and a version's images.</summary>
public static class VersionEndpoints
{
    /// <summary>Reads an item search over a version: classes from the version's own meta, datasets by path.</summary>
    internal static (ItemQuery? Query, ItemQueryReader.Problem? Problem) ReadItemQuery(IQueryCollection query, VersionSummary v, VersionService service, bool strict)
    {
        var meta = Cairn.Core.Serialization.ProjectMetaJson.Parse(service.MetaJson(v));
        var datasets = v.Stats.Datasets.Select(d => (0L, d.Path)).ToList();
        return ItemQueryReader.Read(query, [.. meta.Classes.Select(c => c.Name)], datasets, datasetById: false, ["skip", "take"], strict);
    }

    /// <summary>Maps /projects/{id}/versions and /versions.</summary>
    public static RouteGroupBuilder MapVersions(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/projects/{id:long}/versions").WithTags("Versions").RequireAuthorization(CairnPolicies.Read);
        g.MapGet("/", Results<Ok<List<VersionDto>>, ProblemHttpResult> (long id, ProjectService projects, VersionService versions) =>
            projects.Get(id) is null
                ? ProjectEndpoints.NotFound($"project {id}")
                : TypedResults.Ok(versions.List(id).Select(VersionDto.From).ToList()))
            .WithSummary("List a project's versions, newest first");

        g.MapPost("/", Results<Created<CreateVersionResponse>, Ok<CreateVersionResponse>, ProblemHttpResult> (long id, CreateVersionRequest? body, VersionService versions, HttpContext http, CancellationToken ct) =>
        {
            var r = versions.Create(id, body?.Title, body?.Description, RequestUser.Author(http, body?.Author), ct: ct);
            if (r is null)
            {
                return ProjectEndpoints.NotFound($"project {id}");
            }

            var response = new CreateVersionResponse(r.Created, VersionDto.From(r.Version), r.ElapsedMs);
            return r.Created ? TypedResults.Created($"/api/v1/projects/{id}/versions/{r.Version.Number}", response) : TypedResults.Ok(response);
        }).WithSummary("Make version N+1 (201), or return version N (200) when nothing changed since it").RequireAuthorization(CairnPolicies.Edit);

        g.MapGet("/{n:int}", Results<Ok<VersionDetailDto>, ProblemHttpResult> (long id, int n, VersionService versions) =>
            versions.Get(id, n) is { } v
                ? TypedResults.Ok(new VersionDetailDto(VersionDto.From(v), v.Stats))
                : ProjectEndpoints.NotFound($"version {n} of project {id}"))
            .WithSummary("A version with its statistics");

        g.MapGet("/{n:int}/diff", Results<Ok<VersionDiffDto>, ProblemHttpResult> (long id, int n, int? to, VersionService service, CancellationToken ct) =>
        {
            var a = service.Get(id, n);
            if (a is null)
            {
                return ProjectEndpoints.NotFound($"version {n} of project {id}");
            }

            (ContentId Root, VersionStats Stats)? b;
            if (to is { } m)
            {
                b = service.Get(id, m) is { } bv ? (bv.RootId, bv.Stats) : null;
            }
            else
            {
                b = service.WorkingSnapshot(id, ct);
            }

            if (b is null)
            {
                return ProjectEndpoints.NotFound($"version {to} of project {id}");
            }

            var d = service.Diff(a.RootId, a.Stats, b.Value.Root, b.Value.Stats, $"{id}@{n}", to is { } t ? $"{id}@{t}" : $"{id}");
            return TypedResults.Ok(new VersionDiffDto(d.From, d.To, d.MetaChanged, d.Added.Count, d.Removed.Count, d.Changed.Count, d.ImagesChanged, d.LabelsChanged, d));
        }).WithSummary("What changed from version n to version `to`, or to the working state when `to` is absent");

        g.MapPost("/{n:int}/restore", async Task<Results<Created<RestoreResponse>, ProblemHttpResult>> (long id, int n, RestoreRequest? body, VersionService service, HttpContext http, CancellationToken ct) =>
        {
            var v = service.Get(id, n);
            if (v is null)
            {
                return ProjectEndpoints.NotFound($"version {n} of project {id}");
            }

            var r = service.Restore(v, string.IsNullOrWhiteSpace(body?.Name) ? null : body.Name, ct: ct, restoredBy: RequestUser.Author(http));
            if (r is not null)
            {
                await http.AuditAsync(AuditActions.Restore, $"project {id} v{n}", $"as project {r.ProjectId}");
            }

            return r is null
                ? TypedResults.Problem(title: "Name taken", detail: $"a project named '{body?.Name}' (or the default name) exists; send another name", statusCode: 409)
                : TypedResults.Created($"/api/v1/projects/{r.ProjectId}", new RestoreResponse(r.ProjectId, r.ProjectName, r.Items, VersionDto.From(r.FirstVersion), r.ElapsedMs));
        }).WithSummary("Restore a version as a new project whose items point at the version's objects").RequireAuthorization(CairnPolicies.Edit);

        g.MapGet("/{n:int}/items", Results<Ok<VersionItemsDto>, ProblemHttpResult> (long id, int n, HttpContext http, VersionService service) =>
        {
            var v = service.Get(id, n);
            if (v is null)
            {
                return ProjectEndpoints.NotFound($"version {n} of project {id}");
            }

            var (query, problem) = ReadItemQuery(http.Request.Query, v, service, strict: true);
            var badSkip = ItemQueryReader.Count(http.Request.Query, "skip", out var skip);
            var badTake = ItemQueryReader.Count(http.Request.Query, "take", out var take);
            if ((problem ?? badSkip ?? badTake) is { } bad)
            {
                return ItemQueryReader.ToResult(bad);
            }

            var page = service.Find(v, query!, skip ?? 0, Math.Clamp(take ?? 100, 1, 1000));
            return TypedResults.Ok(new VersionItemsDto(page.Total, skip ?? 0, page.Items.Select(x =>
            {
                var i = x.Item;
                using var doc = JsonDocument.Parse(i.AnnotationText);
                return new VersionItemDto(i.Dataset, i.Name, i.ImageId.ToString(), i.Width, i.Height, i.LabelCount, doc.RootElement.Clone(), $"/api/v1/objects/{i.ImageId}", x.Index);
            }).ToList()));
        }).WithSummary("Page through a version's items with their annotations, read-only; the same filters as a project's items (dataset by path)");

        // Images of a version are addressed by content id: a version's item may no longer exist in any working state.
        api.MapGet("/objects/{hex}", async Task<IResult> (string hex, CairnStore store, HttpContext http) =>
            ContentId.TryParse(hex, out var oid) && store.Objects.Contains(oid)
                ? await ProjectEndpoints.ServeObject(store, oid, http)
                : ProjectEndpoints.NotFound($"object {hex}"))
            .WithTags("Versions").WithSummary("An object's bytes by content id (verified before it is served)");
        return api;
    }
}
