using Cairn.Server.Accounts;
using Cairn.Server.Endpoints;
using Cairn.Server.Pages;
using Cairn.Tasks;
using Cairn.Tasks.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Server;

/// <summary>Builds the Cairn web application: REST API, OpenAPI document, web UI.</summary>
public static class CairnServer
{
    /// <summary>Builds (does not start) the application.</summary>
    public static WebApplication Build(CairnServerOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Cairn.Server" });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The keys sit unencrypted in the home's keys/ folder (owner-only, as catalog.conf): say nothing each start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        builder.Services.AddCairn(options.Home, options.Catalog);
        builder.Services.AddCairnTasks(options.Home, options.RunJobs);
        builder.Services.AddSingleton(new Uploads.UploadStore(options.Home, TimeProvider.System));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<CairnExceptionHandler>();
        // A body that does not bind is thrown to CairnExceptionHandler, which names the field; otherwise it is a bare 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddCairnAuthentication(options.Home, AuthenticationSetup.IsLoopbackOnly(options.Urls));
        builder.Services.AddOpenApi("v1");
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
        });

        var app = builder.Build();
        // With presigned image URLs (docs/s3.md) the pages may show images from the bucket's origin; the store opens
        // on the first response, as it did before.
        app.UseCairnSecurityHeaders(() => SecurityHeaders.PagePolicyWithImagesFrom((app.Services.GetRequiredService<Cairn.Storage.CairnStore>().Objects as Cairn.Storage.Objects.S3ObjectStore)?.PresignOrigin));
        if (options.BehindProxy)
        {
            // Only a proxy we know may rewrite the client's address and scheme (docs/security.md); loopback is known by default.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
            foreach (var proxy in options.TrustedProxies)
            {
                forwarded.KnownProxies.Add(proxy);
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCairnAuthentication();
        app.MapOpenApi("/api/v1/openapi.json").RequireAuthorization(CairnPolicies.Read);

        // Every endpoint names its policy (AuthorizationTests walks the route table): the API reads here, and each write
        // adds edit or admin on top.
        var api = app.MapGroup("/api/v1").RequireAuthorization(CairnPolicies.Read);
        api.MapProjects();
        api.MapVersions();
        api.MapTasks();
        api.MapGraph();
        api.MapAugmentPreview();
        api.MapBenchmarks();
        api.MapUploads();

        app.MapStatic();
        app.MapProjectPages();
        app.MapTaskPages();
        app.MapGraphPages();
        app.MapBenchmarkPages();
        app.MapBenchmarkImagePages();
        app.MapVersionPages();
        app.MapAccountPages();
        return app;
    }
}
