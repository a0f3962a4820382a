using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.ModelRegistry.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks MLflow's documented REST contract (2.x tracking, model registry and
/// proxied artifacts), written from the API reference rather than from the client's types: request bodies are read
/// as raw JSON and checked field by field (required fields, types, enum values, log-batch limits, no undocumented
/// fields), responses are written with the documented snake_case names, errors as <c>{"error_code","message"}</c>.
/// No MLflow can run on these machines; this is what the client's contract is tested against.
/// </summary>
public sealed class FakeMlflowServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _experiments = [];
    private readonly Dictionary<string, JsonObject> _runs = [];
    private readonly Dictionary<string, JsonObject> _models = [];
    private readonly Dictionary<string, List<JsonObject>> _versions = [];
    private readonly ConcurrentDictionary<string, byte[]> _artifacts = new();
    private readonly ConcurrentQueue<HttpStatusCode> _faults = new();
    private int _nextExperiment;

    private FakeMlflowServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request, in order: method, path, query string and body (as sent).</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Violations of the documented contract seen in requests (a contract test asserts this stays empty).</summary>
    public ConcurrentQueue<string> ContractViolations { get; } = new();

    public IReadOnlyDictionary<string, byte[]> Artifacts => _artifacts;

    /// <summary>The next requests fail with these statuses (a gateway in trouble), before any handling.</summary>
    public void FailNext(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _faults.Enqueue(status);
        }
    }

    public static async Task<FakeMlflowServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeMlflowServer(app);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, body));
            if (_faults.TryDequeue(out var fault))
            {
                context.Response.StatusCode = (int)fault;
                await context.Response.WriteAsync("<html>upstream unavailable</html>");
                return;
            }

            try
            {
                await next(context);
            }
            catch (ContractException ex)
            {
                ContractViolations.Enqueue($"{context.Request.Method} {context.Request.Path}: {ex.Message}");
                await Error(context, HttpStatusCode.BadRequest, ex.Code, ex.Message);
            }
        });

        app.MapGet("/health", () => "OK");
        const string api = "/api/2.0/mlflow/";

        app.MapGet(api + "experiments/get-by-name", context =>
        {
            var name = RequiredQuery(context, "experiment_name");
            lock (_gate)
            {
                var experiment = _experiments.Values.FirstOrDefault(e => (string)e["name"]! == name);
                return experiment is null
                    ? Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'")
                    : Json(context, new JsonObject { ["experiment"] = experiment.DeepClone() });
            }
        });

        app.MapPost(api + "experiments/create", async context =>
        {
            var body = await Body(context, required: ["name"], optional: ["artifact_location", "tags"]);
            var name = String(body, "name");
            await Locked(() =>
            {
                if (_experiments.Values.Any(e => (string)e["name"]! == name))
                {
                    throw new ContractException("RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists.");
                }

                var id = (++_nextExperiment).ToString(CultureInfo.InvariantCulture);
                _experiments[id] = new JsonObject
                {
                    ["experiment_id"] = id,
                    ["name"] = name,
                    ["artifact_location"] = $"mlflow-artifacts:/{id}",
                    ["lifecycle_stage"] = "active",
                };
                return Json(context, new JsonObject { ["experiment_id"] = id });
            });
        });

        app.MapPost(api + "runs/create", async context =>
        {
            var body = await Body(context, required: ["experiment_id"], optional: ["user_id", "run_name", "start_time", "tags"]);
            var experimentId = String(body, "experiment_id");
            if (body["start_time"] is { } start && start.GetValueKind() != JsonValueKind.Number)
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", "start_time must be an int64 (milliseconds).");
            }

            CheckKeyValues(body["tags"], "tags");
            await Locked(() =>
            {
                if (!_experiments.ContainsKey(experimentId))
                {
                    return Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"No experiment {experimentId}");
                }

                var runId = Guid.NewGuid().ToString("N");
                var run = new JsonObject
                {
                    ["info"] = new JsonObject
                    {
                        ["run_id"] = runId,
                        ["run_uuid"] = runId,
                        ["experiment_id"] = experimentId,
                        ["run_name"] = body["run_name"]?.DeepClone() ?? "run",
                        ["status"] = "RUNNING",
                        ["start_time"] = body["start_time"]?.DeepClone() ?? 0,
                        ["artifact_uri"] = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts",
                        ["lifecycle_stage"] = "active",
                    },
                    ["data"] = new JsonObject { ["metrics"] = new JsonArray(), ["params"] = new JsonArray(), ["tags"] = body["tags"]?.DeepClone() ?? new JsonArray() },
                };
                _runs[runId] = run;
                return Json(context, new JsonObject { ["run"] = run.DeepClone() });
            });
        });

        app.MapGet(api + "runs/get", context =>
        {
            var runId = RequiredQuery(context, "run_id");
            lock (_gate)
            {
                return _runs.TryGetValue(runId, out var run)
                    ? Json(context, new JsonObject { ["run"] = run.DeepClone() })
                    : Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"Run '{runId}' not found");
            }
        });

        app.MapPost(api + "runs/update", async context =>
        {
            var body = await Body(context, required: ["run_id"], optional: ["run_uuid", "status", "end_time", "run_name"]);
            var status = body["status"]?.GetValue<string>();
            if (status is not (null or "RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED"))
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", $"Unknown RunStatus '{status}'.");
            }

            await Locked(() =>
            {
                var info = (JsonObject)Run(String(body, "run_id"))["info"]!;
                if (status is not null) info["status"] = status;
                if (body["end_time"] is { } end) info["end_time"] = end.GetValue<long>();
                return Json(context, new JsonObject { ["run_info"] = info.DeepClone() });
            });
        });

        app.MapPost(api + "runs/log-batch", async context =>
        {
            var body = await Body(context, required: ["run_id"], optional: ["metrics", "params", "tags"]);
            var metrics = body["metrics"] as JsonArray ?? [];
            var parameters = body["params"] as JsonArray ?? [];
            var tags = body["tags"] as JsonArray ?? [];
            if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100 || metrics.Count + parameters.Count + tags.Count > 1000)
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", $"A batch logging request can contain at most 1000 metrics, 100 params, 100 tags and 1000 items. Got {metrics.Count}/{parameters.Count}/{tags.Count}.");
            }

            foreach (var metric in metrics)
            {
                Fields((JsonObject)metric!, required: ["key", "value", "timestamp"], optional: ["step", "dataset_name", "dataset_digest", "model_id", "run_id"]);
                if (metric!["value"]!.GetValueKind() != JsonValueKind.Number || metric["timestamp"]!.GetValueKind() != JsonValueKind.Number)
                {
                    throw new ContractException("INVALID_PARAMETER_VALUE", "Metric value and timestamp must be numbers.");
                }
            }

            CheckKeyValues(parameters, "params", maxValueLength: 6000);
            CheckKeyValues(tags, "tags");
            lock (_gate)
            {
                var data = (JsonObject)Run(String(body, "run_id"))["data"]!;
                foreach (var metric in metrics) ((JsonArray)data["metrics"]!).Add(metric!.DeepClone());
                foreach (var param in parameters) ((JsonArray)data["params"]!).Add(param!.DeepClone());
                foreach (var tag in tags) ((JsonArray)data["tags"]!).Add(tag!.DeepClone());
            }

            await Json(context, new JsonObject());
        });

        app.MapPost(api + "runs/search", async context =>
        {
            var body = await Body(context, required: ["experiment_ids"], optional: ["filter", "run_view_type", "max_results", "order_by", "page_token"]);
            var ids = ((JsonArray)body["experiment_ids"]!).Select(i => i!.GetValue<string>()).ToHashSet();
            await Locked(() =>
            {
                var runs = new JsonArray([.. _runs.Values.Where(r => ids.Contains((string)r["info"]!["experiment_id"]!)).Select(r => r.DeepClone())]);
                return Json(context, new JsonObject { ["runs"] = runs });
            });
        });

        app.MapGet(api + "registered-models/get", context =>
        {
            var name = RequiredQuery(context, "name");
            lock (_gate)
            {
                return _models.TryGetValue(name, out var model)
                    ? Json(context, new JsonObject { ["registered_model"] = model.DeepClone() })
                    : Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"Registered Model with name={name} not found");
            }
        });

        app.MapPost(api + "registered-models/create", async context =>
        {
            var body = await Body(context, required: ["name"], optional: ["tags", "description", "deployment_job_id"]);
            var name = String(body, "name");
            await Locked(() =>
            {
                if (_models.ContainsKey(name))
                {
                    throw new ContractException("RESOURCE_ALREADY_EXISTS", $"Registered Model (name={name}) already exists.");
                }

                var model = new JsonObject { ["name"] = name, ["creation_timestamp"] = Now(), ["last_updated_timestamp"] = Now(), ["aliases"] = new JsonArray() };
                if (body["description"] is { } description) model["description"] = description.DeepClone();
                _models[name] = model;
                _versions[name] = [];
                return Json(context, new JsonObject { ["registered_model"] = model.DeepClone() });
            });
        });

        app.MapPost(api + "model-versions/create", async context =>
        {
            var body = await Body(context, required: ["name", "source"], optional: ["run_id", "tags", "run_link", "description", "model_id"]);
            var name = String(body, "name");
            await Locked(() =>
            {
                if (!_versions.TryGetValue(name, out var versions))
                {
                    return Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"Registered Model with name={name} not found");
                }

                var runId = body["run_id"]?.GetValue<string>();
                var source = String(body, "source");
                // MLflow refuses a source outside the run's artifact location (CVE-2023-6831 fix).
                if (runId is not null && !source.StartsWith((string)Run(runId)["info"]!["artifact_uri"]!, StringComparison.Ordinal))
                {
                    throw new ContractException("INVALID_PARAMETER_VALUE", "Invalid model version source: not in the run's artifact location.");
                }

                var version = new JsonObject
                {
                    ["name"] = name,
                    ["version"] = (versions.Count + 1).ToString(CultureInfo.InvariantCulture),
                    ["creation_timestamp"] = Now(),
                    ["last_updated_timestamp"] = Now(),
                    ["current_stage"] = "None",
                    ["source"] = source,
                    ["run_id"] = runId,
                    ["status"] = "READY",
                    ["aliases"] = new JsonArray(),
                };
                versions.Add(version);
                return Json(context, new JsonObject { ["model_version"] = version.DeepClone() });
            });
        });

        app.MapGet(api + "model-versions/get", context =>
        {
            var name = RequiredQuery(context, "name");
            var number = RequiredQuery(context, "version");
            lock (_gate)
            {
                var version = _versions.GetValueOrDefault(name)?.FirstOrDefault(v => (string)v["version"]! == number);
                return version is null
                    ? Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"Model Version (name={name}, version={number}) not found")
                    : Json(context, new JsonObject { ["model_version"] = version.DeepClone() });
            }
        });

        app.MapGet(api + "model-versions/search", context =>
        {
            var filter = context.Request.Query["filter"].ToString();
            var match = System.Text.RegularExpressions.Regex.Match(filter, "^name\\s*=\\s*'(?<n>[^']*)'$");
            if (!match.Success)
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", $"Unsupported filter '{filter}'.");
            }

            var max = int.Parse(context.Request.Query["max_results"].FirstOrDefault() ?? "200000", CultureInfo.InvariantCulture);
            var offset = int.Parse(context.Request.Query["page_token"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
            lock (_gate)
            {
                var all = _versions.GetValueOrDefault(match.Groups["n"].Value) ?? [];
                var page = all.Skip(offset).Take(max).ToList();
                var response = new JsonObject { ["model_versions"] = new JsonArray([.. page.Select(v => v.DeepClone())]) };
                if (offset + page.Count < all.Count) response["next_page_token"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
                return Json(context, response);
            }
        });

        app.MapPost(api + "registered-models/alias", async context =>
        {
            var body = await Body(context, required: ["name", "alias", "version"], optional: []);
            var (name, alias, number) = (String(body, "name"), String(body, "alias"), String(body, "version"));
            await Locked(() =>
            {
                var versions = _versions.GetValueOrDefault(name);
                var target = versions?.FirstOrDefault(v => (string)v["version"]! == number);
                if (target is null)
                {
                    return Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"Model Version (name={name}, version={number}) not found");
                }

                foreach (var version in versions!) RemoveAlias((JsonArray)version["aliases"]!, alias);
                ((JsonArray)target["aliases"]!).Add(alias);
                return Json(context, new JsonObject());
            });
        });

        app.MapGet(api + "registered-models/alias", context =>
        {
            var (name, alias) = (RequiredQuery(context, "name"), RequiredQuery(context, "alias"));
            lock (_gate)
            {
                var version = _versions.GetValueOrDefault(name)?.FirstOrDefault(v => ((JsonArray)v["aliases"]!).Any(a => (string)a! == alias));
                return version is null
                    ? Error(context, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", $"Registered model alias {alias} not found.")
                    : Json(context, new JsonObject { ["model_version"] = version.DeepClone() });
            }
        });

        app.MapDelete(api + "registered-models/alias", context =>
        {
            var (name, alias) = (RequiredQuery(context, "name"), RequiredQuery(context, "alias"));
            lock (_gate)
            {
                foreach (var version in _versions.GetValueOrDefault(name) ?? []) RemoveAlias((JsonArray)version["aliases"]!, alias);
                return Json(context, new JsonObject());
            }
        });

        app.MapPut("/api/2.0/mlflow-artifacts/artifacts/{**path}", async (HttpContext context, string path) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            _artifacts[path] = buffer.ToArray();
            await Json(context, new JsonObject());
        });

        app.MapGet("/api/2.0/mlflow-artifacts/artifacts/{**path}", (HttpContext context, string path) =>
            _artifacts.TryGetValue(path, out var bytes)
                ? context.Response.Body.WriteAsync(bytes).AsTask()
                : Error(context, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", $"File not found: {path}"));
    }

    // Handlers build their response under the lock; the write itself is awaited outside it.
    private Task Locked(Func<Task> respond)
    {
        lock (_gate)
        {
            return respond();
        }
    }

    private JsonObject Run(string runId) =>
        _runs.TryGetValue(runId, out var run) ? run : throw new ContractException("RESOURCE_DOES_NOT_EXIST", $"Run '{runId}' not found");

    private static void RemoveAlias(JsonArray aliases, string alias)
    {
        foreach (var node in aliases.Where(a => (string)a! == alias).ToList()) aliases.Remove(node);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string RequiredQuery(HttpContext context, string name) =>
        context.Request.Query[name].FirstOrDefault() is { Length: > 0 } value
            ? value
            : throw new ContractException("INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{name}'.");

    private static async Task<JsonObject> Body(HttpContext context, string[] required, string[] optional)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            throw new ContractException("INVALID_PARAMETER_VALUE", $"Content-Type must be application/json, was '{context.Request.ContentType}'.");
        }

        var node = await JsonNode.ParseAsync(context.Request.Body) as JsonObject
            ?? throw new ContractException("MALFORMED_REQUEST", "The body must be a JSON object.");
        Fields(node, required, optional);
        return node;
    }

    private static void Fields(JsonObject node, string[] required, string[] optional)
    {
        foreach (var name in required)
        {
            if (node[name] is null)
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{name}'.");
            }
        }

        foreach (var (name, _) in node)
        {
            if (!required.Contains(name) && !optional.Contains(name))
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", $"Field '{name}' is not part of the documented request.");
            }
        }
    }

    private static void CheckKeyValues(JsonNode? node, string field, int maxValueLength = 5000)
    {
        foreach (var item in node as JsonArray ?? [])
        {
            Fields((JsonObject)item!, required: ["key", "value"], optional: []);
            if (item!["key"]!.GetValue<string>().Length > 250 || item["value"]!.GetValue<string>().Length > maxValueLength)
            {
                throw new ContractException("INVALID_PARAMETER_VALUE", $"{field}: key or value too long.");
            }
        }
    }

    private static string String(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new ContractException("INVALID_PARAMETER_VALUE", $"'{name}' must be a string.");

    private static Task Json(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task Error(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        return Json(context, new JsonObject { ["error_code"] = code, ["message"] = message });
    }

    private sealed class ContractException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}

public sealed record RecordedRequest(string Method, string Path, string Query, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
