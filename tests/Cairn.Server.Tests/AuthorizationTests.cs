using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Server.Accounts;
using Cairn.Server.Endpoints;
using Cairn.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests;

/// <summary>A server over a home with three users (ana: admin, ed: editor, vi: viewer): sign-in is required.</summary>
public class TeamServerFixture : ServerFixture
{
    /// <summary>Every user's password.</summary>
    public const string Password = "correct horse battery";

    /// <summary>The accounts of the home, through the same services the CLI uses.</summary>
    public ServiceProvider Accounts { get; private set; } = null!;

    /// <inheritdoc/>
    public override async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddCairn(Home, Catalog, objectStore: ObjectStore);
        services.AddCairnAccounts();
        Accounts = services.BuildServiceProvider();
        using (var scope = Accounts.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            foreach (var (name, role) in new[] { ("ana", CairnRoles.Admin), ("ed", CairnRoles.Editor), ("vi", CairnRoles.Viewer), ("locky", CairnRoles.Viewer) })
            {
                Assert.Empty(await accounts.AddAsync(name, Password, role, "test"));
            }
        }

        await base.InitializeAsync();
    }

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await Accounts.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) };

    /// <summary>A client signed in as <paramref name="user"/> through the sign-in form.</summary>
    public async Task<HttpClient> SignInAsync(string user)
    {
        var client = Client();
        var page = await client.GetStringAsync("/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = user, ["password"] = Password, [AuthenticationSetup.FormFieldName] = Forms.Token(page) });
        using var r = await client.PostAsync("/login", form);
        Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"sign-in as {user}: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Runs <paramref name="work"/> with the home's account service.</summary>
    public async Task<T> WithAccountsAsync<T>(Func<AccountService, Task<T>> work)
    {
        using var scope = Accounts.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AccountService>());
    }
}

/// <summary>The team server on a PostgreSQL catalog.</summary>
public sealed class PostgresTeamServerFixture : TeamServerFixture
{
    private readonly string _catalog = Cairn.TestSupport.PostgresServer.CreateDatabase();

    /// <inheritdoc/>
    protected override string? Catalog => _catalog;
}

/// <summary>Users, roles, policies, tokens, antiforgery and the audit log, against a real server and SQLite catalog.</summary>
public sealed class AuthorizationTests(TeamServerFixture server) : IClassFixture<TeamServerFixture>
{
    [Fact]
    public async Task Every_endpoint_declares_a_policy_and_each_role_gets_exactly_what_it_allows()
    {
        var endpoints = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} endpoints found");
        var clients = new List<(string Name, int Rank, HttpClient Http)> { ("anonymous", -1, server.Client()) };
        foreach (var (user, rank) in new[] { ("vi", 0), ("ed", 1), ("ana", 2) })
        {
            clients.Add((user, rank, await server.SignInAsync(user)));
        }

        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var e in endpoints)
        {
            var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (!anonymous && (policies.Count == 0 || policies.Any(p => p is not (CairnPolicies.Read or CairnPolicies.Edit or CairnPolicies.Admin))))
            {
                failures.Add($"{e.DisplayName}: declares no Cairn policy (RequireAuthorization(CairnPolicies.…) or AllowAnonymous)");
                continue;
            }

            var need = anonymous ? -1 : policies.Max(p => p switch { CairnPolicies.Read => 0, CairnPolicies.Edit => 1, _ => 2 });
            var path = Regex.Replace(Regex.Replace(e.RoutePattern.RawText!, @"\{\*\*[^}]+\}", "cairn.css"), @"\{[^}]+\}", "999999");
            path = path.StartsWith('/') ? path : "/" + path;
            var api = path.StartsWith("/api/", StringComparison.Ordinal);
            foreach (var method in e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (var (name, rank, http) in clients)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method is not "GET" and not "HEAD")
                    {
                        request.Content = api ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : new FormUrlEncodedContent([]);
                    }

                    using var r = await http.SendAsync(request);
                    checkedCount++;
                    var status = (int)r.StatusCode;
                    var location = r.Headers.Location?.ToString() ?? string.Empty;
                    string? wrong = null;
                    if (need < 0 || rank >= need)
                    {
                        // (An anonymous endpoint may send to /login by design: /setup once users exist.)
                        if (status is 401 or 403 || (need >= 0 && !api && status == 302 && location.Contains("/login", StringComparison.Ordinal)))
                        {
                            wrong = $"expected access, got {status} {location}";
                        }
                    }
                    else if (rank < 0)
                    {
                        if (api ? status != 401 || r.Content.Headers.ContentType?.MediaType != "application/problem+json" : status != 302 || !new Uri(new Uri(server.BaseUrl), location).AbsolutePath.Equals("/login", StringComparison.Ordinal))
                        {
                            wrong = $"expected {(api ? "401 problem" : "redirect to /login")}, got {status} {location}";
                        }
                    }
                    else if (status != 403)
                    {
                        wrong = $"expected 403, got {status}";
                    }

                    if (wrong is not null)
                    {
                        failures.Add($"{method} {path} as {name}: {wrong}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCount > 200, $"only {checkedCount} requests checked");
    }

    [Fact]
    public async Task Anonymous_delete_is_a_401_problem_and_the_project_stays()
    {
        using var http = server.Client();
        using var r = await http.DeleteAsync($"/api/v1/projects/{server.ProjectId}");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using var ana = await server.SignInAsync("ana");
        Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync($"/api/v1/projects/{server.ProjectId}")).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_is_a_401_page_audited_and_five_failures_lock_the_account()
    {
        using var http = server.Client();
        for (var i = 0; i < 5; i++)
        {
            var page = await http.GetStringAsync("/login");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "locky", ["password"] = "wrong password " + i, [AuthenticationSetup.FormFieldName] = Forms.Token(page) });
            using var r = await http.PostAsync("/login", form);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
            Assert.Contains(i < 4 ? "Wrong user name or password." : "locked", html);
        }

        // The right password no longer helps: the account is locked.
        var again = await http.GetStringAsync("/login");
        using var right = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "locky", ["password"] = TeamServerFixture.Password, [AuthenticationSetup.FormFieldName] = Forms.Token(again) });
        using var locked = await http.PostAsync("/login", right);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());

        var audit = await server.WithAccountsAsync(a => a.AuditLogAsync(1000));
        Assert.True(audit.Count(x => x.Action == AuditActions.LoginFailed && x.Actor == "locky") >= 6);
        var users = await server.WithAccountsAsync(a => a.ListAsync());
        Assert.True(users.Single(u => u.Name == "locky").LockedOut);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_a_400_problem_and_changes_nothing()
    {
        using var ana = await server.SignInAsync("ana");
        var before = await ana.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["title"] = "forged" });
        using var r = await ana.PostAsync($"/projects/{server.ProjectId}/versions", form);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains(AuthenticationSetup.FormFieldName, await r.Content.ReadAsStringAsync());
        var after = await ana.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions");
        Assert.Equal(before.GetArrayLength(), after.GetArrayLength());
    }

    [Fact]
    public async Task A_form_posted_with_the_token_records_the_signed_in_editor_as_author()
    {
        using var ed = await server.SignInAsync("ed");
        var page = await ed.GetStringAsync($"/projects/{server.ProjectId}/versions");
        Assert.Contains("<span>ed</span>", page);
        // Change the working state first, so the form makes a new version rather than returning the current one.
        var items = await ed.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1");
        var item = items[0];
        var size = $"\"w\":{item.GetProperty("width").GetInt32()},\"h\":{item.GetProperty("height").GetInt32()}";
        using (var put = await ed.PutAsync($"/api/v1/items/{item.GetProperty("id").GetInt64()}/annotation", new StringContent("{" + size + ",\"labels\":[]}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["title"] = "by ed", [AuthenticationSetup.FormFieldName] = Forms.Token(page) });
        using var r = await ed.PostAsync($"/projects/{server.ProjectId}/versions", form);
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var versions = await ed.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions");
        var latest = versions.EnumerateArray().First();
        Assert.Equal("by ed", latest.GetProperty("title").GetString());
        Assert.Equal("ed", latest.GetProperty("author").GetString());

        // The edit is ed's, on the item and on its page.
        var itemId = item.GetProperty("id").GetInt64();
        var edited = await ed.GetFromJsonAsync<JsonElement>($"/api/v1/items/{itemId}");
        Assert.Equal("ed", edited.GetProperty("item").GetProperty("editedBy").GetString());
        Assert.Contains("Labels last edited by ed", await ed.GetStringAsync($"/items/{itemId}"));

        // A restore made by ed is ed's version 1 of the new project, whoever made the version it came from.
        var number = latest.GetProperty("number").GetInt32();
        using var restore = await ed.PostAsJsonAsync($"/api/v1/projects/{server.ProjectId}/versions/{number}/restore", new { name = "restored by ed" });
        Assert.Equal(HttpStatusCode.Created, restore.StatusCode);
        var restoredId = (await restore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("projectId").GetInt64();
        var restored = (await ed.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{restoredId}/versions"))[0];
        Assert.Equal("ed", restored.GetProperty("author").GetString());
    }

    [Fact]
    public async Task A_viewer_posting_a_form_gets_a_403_page_and_nothing_changes()
    {
        using var vi = await server.SignInAsync("vi");
        var page = await vi.GetStringAsync($"/projects/{server.ProjectId}/versions");
        Assert.DoesNotContain("single-user mode", page);
        var before = await vi.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["title"] = "by a viewer", [AuthenticationSetup.FormFieldName] = Forms.Token(page) });
        using var r = await vi.PostAsync($"/projects/{server.ProjectId}/versions", form);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("vi has role viewer", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        var after = await vi.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions");
        Assert.Equal(before.GetArrayLength(), after.GetArrayLength());
    }

    [Fact]
    public async Task A_cross_site_api_write_with_the_session_cookie_is_refused()
    {
        using var ana = await server.SignInAsync("ana");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{server.ProjectId}/versions") { Content = JsonContent.Create(new { title = "cross-site" }) };
        request.Headers.Add("Origin", "https://evil.example");
        using var r = await ana.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("evil.example", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tokens_act_within_their_scope_and_expired_or_revoked_ones_are_401_naming_why()
    {
        var read = await server.WithAccountsAsync(a => a.CreateTokenAsync("ana", "reader", TokenScopes.Read, TimeSpan.FromDays(1), null));
        var write = await server.WithAccountsAsync(a => a.CreateTokenAsync("ana", "writer", TokenScopes.Write, TimeSpan.FromDays(1), null));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        HttpRequestMessage As(string token, HttpMethod method, string url)
        {
            var m = new HttpRequestMessage(method, url);
            m.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return m;
        }

        using (var r = await http.SendAsync(As(read.Token, HttpMethod.Get, "/api/v1/projects")))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        // A read token of an admin cannot write; a write token of an admin cannot delete (write stops at editor).
        using (var r = await http.SendAsync(As(read.Token, HttpMethod.Post, "/api/v1/tasks/999999/cancel")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Contains("token's scope", await r.Content.ReadAsStringAsync());
        }

        using (var r = await http.SendAsync(As(write.Token, HttpMethod.Delete, $"/api/v1/projects/{server.ProjectId}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        using (var r = await http.SendAsync(As(write.Token, HttpMethod.Post, "/api/v1/tasks/999999/cancel")))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        Assert.True(await server.WithAccountsAsync(a => a.RevokeTokenAsync(read.Id, "ana", "ana")));
        using (var r = await http.SendAsync(As(read.Token, HttpMethod.Get, "/api/v1/projects")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains($"token {read.Id} was revoked", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        await using (var db = server.Accounts.GetRequiredService<AccountsDatabase>().Open())
        {
            await db.AccessTokens.Where(t => t.Id == write.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        using (var r = await http.SendAsync(As(write.Token, HttpMethod.Get, "/api/v1/projects")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains($"token {write.Id} expired", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        using (var r = await http.SendAsync(As("cairn_not-a-real-token", HttpMethod.Get, "/api/v1/projects")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        // A token of another workspace (another home, with a user of the same name and role) is unknown here.
        using (var otherHome = new Cairn.TestSupport.TempDir("cairn-other-workspace-"))
        {
            var services = new ServiceCollection().AddCairn(otherHome.Path);
            services.AddCairnAccounts();
            await using var other = services.BuildServiceProvider();
            using var scope = other.CreateScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            Assert.Empty(await accounts.AddAsync("ana", TeamServerFixture.Password, CairnRoles.Admin, "test"));
            var foreign = await accounts.CreateTokenAsync("ana", "elsewhere", TokenScopes.Write, TimeSpan.FromDays(1), null);
            using var r = await http.SendAsync(As(foreign.Token, HttpMethod.Get, "/api/v1/projects"));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains("not known", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        var audit = await server.WithAccountsAsync(a => a.AuditLogAsync(1000));
        Assert.Contains(audit, x => x.Action == AuditActions.TokenFirstUse && x.Subject == $"token {read.Id}");
        Assert.Contains(audit, x => x.Action == AuditActions.TokenRejected && x.Subject == $"token {write.Id}");
        var listed = await server.WithAccountsAsync(a => a.TokensAsync("ana"));
        Assert.NotNull(listed.Single(t => t.Id == read.Id).LastUsedAt);
        // Stored hashed: the token itself is nowhere in the table.
        await using (var db = server.Accounts.GetRequiredService<AccountsDatabase>().Open())
        {
            Assert.Equal(AccountService.Hash(read.Token), (await db.AccessTokens.SingleAsync(t => t.Id == read.Id)).Hash);
        }
    }

    [Theory]
    [InlineData("ed")] // an account: the token is ed's, capped at ed's role
    [InlineData("ci-runner")] // no account (an OS user on the command line): the token acts as an editor of that name
    public async Task A_run_task_gets_a_token_for_its_own_task_only_which_dies_with_the_task(string author)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        HttpRequestMessage As(string token, HttpMethod method, string url, object? body = null)
        {
            var m = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            m.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return m;
        }

        // `cairn run --api <server>` as ed: the run kind (never offered by the server itself) in this process, with the
        // home's accounts. The program writes what it was given where the test can read it, then waits to be let go.
        var services = new ServiceCollection().AddCairn(server.Home).AddSingleton<ITaskKind, Cairn.Tasks.Kinds.RunTaskKind>();
        services.AddCairnAccounts();
        await using var provider = services.BuildServiceProvider();
        var tasks = provider.GetRequiredService<TaskService>();
        using var dir = new Cairn.TestSupport.TempDir("cairn-task-token-");
        const string Script = """
            printf '%s' "$CAIRN_TOKEN" > "$1/token.tmp" && mv "$1/token.tmp" "$1/token"
            printf '%s' "$CAIRN_API" > "$1/api"
            i=0; while [ ! -f "$1/go" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
            """;
        var parameters = new System.Text.Json.Nodes.JsonObject
        {
            ["command"] = new System.Text.Json.Nodes.JsonArray("sh", "-c", Script, "sh", dir.Path),
            ["api"] = server.BaseUrl,
        };
        var id = tasks.Create(new TaskRequest("run", parameters, "token test", Author: author)).Id;
        var running = tasks.RunAsync(id);

        var tokenFile = Path.Combine(dir.Path, "token");
        for (var i = 0; i < 1200 && !File.Exists(tokenFile); i++)
        {
            await Task.Delay(100);
        }

        var token = await File.ReadAllTextAsync(tokenFile);
        Assert.StartsWith(AccountService.TokenPrefix, token);
        Assert.Equal(server.BaseUrl.TrimEnd('/'), (await File.ReadAllTextAsync(Path.Combine(dir.Path, "api"))).TrimEnd('/'));

        // While the task runs: it reads, and writes its own task; nothing else.
        using (var r = await http.SendAsync(As(token, HttpMethod.Get, "/api/v1/projects")))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        using (var r = await http.SendAsync(As(token, HttpMethod.Post, $"/api/v1/tasks/{id}/log", new { message = "from the program" })))
        {
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        var other = tasks.Create(new TaskRequest("filter", new System.Text.Json.Nodes.JsonObject { ["input"] = "tiny", ["output"] = "never-made" })).Id;
        using (var r = await http.SendAsync(As(token, HttpMethod.Post, $"/api/v1/tasks/{other}/log", new { message = "into another task" })))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Contains($"task {id}'s", await r.Content.ReadAsStringAsync());
        }

        using (var r = await http.SendAsync(As(token, HttpMethod.Post, $"/api/v1/projects/{server.ProjectId}/versions", new { title = "by the program" })))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        using (var r = await http.SendAsync(As(token, HttpMethod.Delete, $"/api/v1/projects/{server.ProjectId}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        await File.WriteAllTextAsync(Path.Combine(dir.Path, "go"), "end");
        var finished = await running;
        Assert.True(finished.Status == Cairn.Storage.Tasks.TaskStates.Succeeded, finished.Error);
        var reader = await server.WithAccountsAsync(a => a.CreateTokenAsync("ed", "reads", TokenScopes.Read, TimeSpan.FromHours(1), null));
        using (var r = await http.SendAsync(As(reader.Token, HttpMethod.Get, $"/api/v1/tasks/{id}")))
        {
            Assert.Equal(author, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("task").GetProperty("author").GetString());
        }

        using (var r = await http.SendAsync(As(reader.Token, HttpMethod.Get, $"/api/v1/tasks/{id}/log")))
        {
            Assert.Contains("from the program", await r.Content.ReadAsStringAsync());
        }

        // Once the task is over the token is refused, and it was revoked.
        using (var r = await http.SendAsync(As(token, HttpMethod.Get, "/api/v1/projects")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            var detail = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            Assert.True(detail!.Contains("revoked", StringComparison.Ordinal) || detail.Contains("has ended", StringComparison.Ordinal), detail);
        }

        await using (var db = server.Accounts.GetRequiredService<AccountsDatabase>().Open())
        {
            var row = await db.AccessTokens.SingleAsync(t => t.Hash == AccountService.Hash(token));
            Assert.Equal(id, row.TaskId);
            Assert.NotNull(row.RevokedAt);
        }

        // An account's task token is that account's (never beyond its role), listed with its tokens.
        Assert.Equal(author == "ed", (await server.WithAccountsAsync(a => a.TokensAsync("ed"))).Any(t => t.TaskId == id && t.RevokedAt is not null));
        var audit = await server.WithAccountsAsync(a => a.AuditLogAsync(1000));
        Assert.Contains(audit, x => x.Action == AuditActions.TokenFirstUse && x.Actor == author);
    }

    [Fact]
    public async Task An_upload_belongs_to_who_started_it_and_its_id_alone_opens_nothing()
    {
        var ed = await server.WithAccountsAsync(a => a.CreateTokenAsync("ed", "uploads", TokenScopes.Write, TimeSpan.FromHours(1), null));
        var ana = await server.WithAccountsAsync(a => a.CreateTokenAsync("ana", "uploads", TokenScopes.Write, TimeSpan.FromHours(1), null));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        HttpRequestMessage As(string token, HttpMethod method, string url, HttpContent? content = null)
        {
            var m = new HttpRequestMessage(method, url) { Content = content };
            m.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return m;
        }

        string id;
        using (var r = await http.SendAsync(As(ed.Token, HttpMethod.Post, "/api/v1/uploads", JsonContent.Create(new { files = new[] { new { path = "a.txt", size = 3 } } }))))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        // Someone else, even an admin, holding the id: not found, for every verb; nothing is added or removed.
        var bytes = "abc"u8.ToArray();
        HttpContent Chunk() => new ByteArrayContent(bytes);

        foreach (var (method, url, content) in new (HttpMethod, string, Func<HttpContent?>)[]
        {
            (HttpMethod.Get, $"/api/v1/uploads/{id}", () => null),
            (HttpMethod.Put, $"/api/v1/uploads/{id}/files/0/chunks/0", Chunk),
            (HttpMethod.Post, $"/api/v1/uploads/{id}/import", () => JsonContent.Create(new { format = "images", project = "stolen" })),
            (HttpMethod.Delete, $"/api/v1/uploads/{id}", () => null),
        })
        {
            using var request = As(ana.Token, method, url, content());
            if (method == HttpMethod.Put)
            {
                request.Headers.Add(UploadEndpoints.ChecksumHeader, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            }

            using var r = await http.SendAsync(request);
            Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{method} {url} as ana: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }

        // Its owner still sees it whole, with no chunk received.
        using (var r = await http.SendAsync(As(ed.Token, HttpMethod.Get, $"/api/v1/uploads/{id}")))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(0, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("files")[0].GetProperty("received").GetArrayLength());
        }

        using (var r = await http.SendAsync(As(ed.Token, HttpMethod.Delete, $"/api/v1/uploads/{id}")))
        {
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
    }

    [Fact]
    public async Task The_audit_page_is_for_admins_and_shows_sign_ins()
    {
        using var vi = await server.SignInAsync("vi");
        Assert.Equal(HttpStatusCode.Forbidden, (await vi.GetAsync("/admin/audit")).StatusCode);
        using var ana = await server.SignInAsync("ana");
        var page = await ana.GetStringAsync("/admin/audit");
        Assert.Contains("<td>login</td>", page);
        Assert.Contains("user vi", page);
    }

    [Fact]
    public async Task Setup_is_closed_once_users_exist()
    {
        using var http = server.Client();
        using var r = await http.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
    }
}

/// <summary>The team server on a PostgreSQL catalog: Identity's tables migrate there too.</summary>
public sealed class PostgresAuthorizationTests(PostgresTeamServerFixture server) : IClassFixture<PostgresTeamServerFixture>
{
    [Fact]
    public async Task Users_sign_in_and_tokens_work_on_a_postgres_catalog()
    {
        using var ed = await server.SignInAsync("ed");
        Assert.Equal(HttpStatusCode.OK, (await ed.GetAsync("/api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ed.DeleteAsync($"/api/v1/projects/{server.ProjectId}")).StatusCode);
        var token = await server.WithAccountsAsync(a => a.CreateTokenAsync("vi", "pg", TokenScopes.Read, TimeSpan.FromHours(1), null));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/projects/{server.ProjectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = new Uri(server.BaseUrl) }.GetAsync("/api/v1/projects")).StatusCode);
    }
}

/// <summary>Single-user mode: no users and a loopback server serve every local request as the admin, until a user exists.</summary>
public sealed class SingleUserModeTests
{
    [Fact]
    public async Task Loopback_requests_are_the_local_admin_until_the_first_user_is_added()
    {
        var home = Path.Combine(Path.GetTempPath(), "cairn-single-" + Guid.NewGuid().ToString("N"));
        var (app, baseUrl) = await TestServer.StartAsync(home);
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/projects")).StatusCode);
            Assert.Contains("single-user mode", await http.GetStringAsync("/projects"));
            using (var setup = await http.GetAsync("/setup"))
            {
                Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
            }

            using (var scope = app.Services.CreateScope())
            {
                Assert.Empty(await scope.ServiceProvider.GetRequiredService<AccountService>().AddAsync("first", TeamServerFixture.Password, CairnRoles.Admin, "test"));
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/projects")).StatusCode);
            using var page = await http.GetAsync("/projects");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location!.AbsolutePath);
        }
        finally
        {
            await TestServer.StopAsync(app, home);
        }
    }

    [Fact]
    public void Only_loopback_addresses_allow_single_user_mode()
    {
        Assert.True(AuthenticationSetup.IsLoopbackOnly("http://127.0.0.1:5180"));
        Assert.True(AuthenticationSetup.IsLoopbackOnly("http://localhost:5180;http://[::1]:5180"));
        Assert.False(AuthenticationSetup.IsLoopbackOnly("http://0.0.0.0:5180"));
        Assert.False(AuthenticationSetup.IsLoopbackOnly("http://127.0.0.1:5180;http://*:5181"));
        Assert.False(AuthenticationSetup.IsLoopbackOnly("http://192.168.1.10:5180"));
    }
}
