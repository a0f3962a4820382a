using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaxiAspire.ModelRegistry.Tests;

/// <summary>The MLflow major version whose server behaviour the fake mirrors where 2.x and 3.x differ.</summary>
public enum MlflowServerVersion
{
    V2,
    V3,
}

/// <summary>
/// An HTTP server on 127.0.0.1 that answers the endpoints the client uses as an MLflow tracking server does
/// (<c>mlflow server</c> with a SQL backend and proxied artifacts). Each rule names what it mirrors: <c>handlers</c>
/// is mlflow/server/handlers.py, <c>tracking store</c> and <c>registry store</c> the two sqlalchemy_store.py files,
/// <c>validation</c> mlflow/utils/validation.py. Rules were read from MLflow 2.12.1 and 3.6 sources and the 2.x ones
/// checked against a real 2.12.1 server (docs/model-registry.md). Where the fake cannot answer as MLflow would (a
/// search filter it does not parse), it answers 501 so that no test can pass on behaviour MLflow lacks.
/// </summary>
public sealed partial class FakeMlflowServer : IAsyncDisposable
{
    private const string Api = "/api/2.0/mlflow/";
    private const string ArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts";

    // sqlalchemy_store._get_metric_value_details: infinity is stored as the largest double, NaN as is_nan.
    private const double MaxDouble = 1.7976931348623157e308;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Experiment> _experiments = [];
    private readonly Dictionary<string, Run> _runs = [];
    private readonly Dictionary<string, Model> _models = [];
    private readonly ConcurrentDictionary<string, byte[]> _artifacts = new();
    private readonly ConcurrentQueue<HttpStatusCode> _faults = new();
    private Func<RecordedRequest, bool>? _failing;
    private int _nextExperiment = 1;

    private FakeMlflowServer(WebApplication app, MlflowServerVersion version)
    {
        _app = app;
        Version = version;
        // The tracking store creates the "Default" experiment, id 0, when it initialises the database.
        _experiments["0"] = new Experiment("0", "Default", Now());
    }

    public MlflowServerVersion Version { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request, in order: method, path, query string and body (as sent).</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>
    /// Request fields that are not in MLflow's protos. MLflow ignores them (proto_json_utils.parse_dict uses
    /// ignore_unknown_fields=True), and so does the fake; tests assert the client sends none.
    /// </summary>
    public ConcurrentQueue<string> UndocumentedFields { get; } = new();

    /// <summary>The artifact store's files by path below the artifacts destination.</summary>
    public IReadOnlyDictionary<string, byte[]> Artifacts => _artifacts;

    /// <summary>Removes a file from the artifact store behind the server, as someone cleaning the bucket would.</summary>
    public bool RemoveArtifact(string path) => _artifacts.TryRemove(path, out _);

    /// <summary>The next requests fail with these statuses (a gateway in trouble), before any handling.</summary>
    public void FailNext(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _faults.Enqueue(status);
        }
    }

    /// <summary>Every request matching <paramref name="which"/> fails with 503 from a gateway until this is called with null.</summary>
    public void FailWhile(Func<RecordedRequest, bool>? which) => _failing = which;

    public static async Task<FakeMlflowServer> StartAsync(MlflowServerVersion version = MlflowServerVersion.V2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeMlflowServer(app, version);
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
        app.Use(async (context, nextHandler) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, body);
            Requests.Enqueue(recorded);
            HttpStatusCode? fault = _faults.TryDequeue(out var next) ? next
                : _failing?.Invoke(recorded) == true ? HttpStatusCode.ServiceUnavailable
                : null;
            if (fault is { } status)
            {
                context.Response.StatusCode = (int)status;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>upstream unavailable</html>");
                return;
            }

            try
            {
                await nextHandler(context);
            }
            catch (MlflowError ex)
            {
                // handlers.catch_mlflow_exception: {"error_code", "message"} with the code's HTTP status.
                await Write(context, ex.Status, new JsonObject { ["error_code"] = ex.Code, ["message"] = ex.Message });
            }
        });

        app.MapGet("/health", () => "OK");

        app.MapGet(Api + "experiments/get-by-name", async context =>
        {
            var request = await Message(context, "experiment_name");
            var name = RequiredString(request, "experiment_name");
            // tracking store get_experiment_by_name reads ViewType.ALL: a deleted experiment is returned, with its stage.
            await Respond(context, () => new JsonObject
            {
                ["experiment"] = _experiments.Values.FirstOrDefault(e => e.Name == name)?.ToJson()
                    ?? throw NotFound($"Could not find experiment with name '{name}'"),
            });
        });

        app.MapPost(Api + "experiments/create", async context =>
        {
            var request = await Message(context, "name", "artifact_location", "tags");
            var name = RequiredString(request, "name");
            await Respond(context, () =>
            {
                // The name is unique across active and deleted experiments (a database constraint).
                if (_experiments.Values.Any(e => e.Name == name))
                {
                    throw new MlflowError("RESOURCE_ALREADY_EXISTS", $"Experiment(name={name}) already exists. Error: UNIQUE constraint failed: experiments.name");
                }

                var id = (_nextExperiment++).ToString(CultureInfo.InvariantCulture);
                _experiments[id] = new Experiment(id, name, Now());
                return new JsonObject { ["experiment_id"] = id };
            });
        });

        app.MapPost(Api + "experiments/delete", async context =>
        {
            var request = await Message(context, "experiment_id");
            var id = RequiredString(request, "experiment_id");
            await Respond(context, () =>
            {
                // tracking store delete_experiment: the experiment must be active; its runs are deleted with it.
                var experiment = ExperimentById(id, activeOnly: true);
                experiment.Stage = "deleted";
                experiment.LastUpdate = Now();
                foreach (var run in _runs.Values.Where(r => r.ExperimentId == id)) run.Stage = "deleted";
                return [];
            });
        });

        app.MapPost(Api + "experiments/restore", async context =>
        {
            var request = await Message(context, "experiment_id");
            var id = RequiredString(request, "experiment_id");
            await Respond(context, () =>
            {
                var experiment = ExperimentById(id, activeOnly: false);
                experiment.Stage = "active";
                experiment.LastUpdate = Now();
                foreach (var run in _runs.Values.Where(r => r.ExperimentId == id)) run.Stage = "active";
                return [];
            });
        });

        app.MapPost(Api + "runs/create", async context =>
        {
            var request = await Message(context, "experiment_id", "user_id", "run_name", "start_time", "tags");
            var experimentId = RequiredString(request, "experiment_id");
            var runName = OptionalString(request, "run_name");
            var startTime = OptionalLong(request, "start_time") ?? 0;
            var tags = KeyValues(request["tags"], "tags", MaxTagValue);
            await Respond(context, () =>
            {
                var experiment = ExperimentById(experimentId, activeOnly: false);
                if (experiment.Stage != "active")
                {
                    // tracking store _check_experiment_is_active
                    throw new MlflowError("INVALID_PARAMETER_VALUE", $"The experiment {experimentId} must be in the 'active' state. Current state is {experiment.Stage}.");
                }

                // tracking store create_run: a missing name is generated and recorded as the mlflow.runName tag.
                runName ??= tags.FirstOrDefault(t => t.Key == "mlflow.runName").Value ?? $"fake-run-{_runs.Count + 1}";
                if (!tags.Any(t => t.Key == "mlflow.runName")) tags.Add(new("mlflow.runName", runName));
                var run = new Run(Guid.NewGuid().ToString("N"), experimentId, runName, startTime, tags);
                _runs[run.Id] = run;
                return new JsonObject { ["run"] = run.ToJson(Version, created: true) };
            });
        });

        app.MapGet(Api + "runs/get", async context =>
        {
            var request = await Message(context, "run_id", "run_uuid");
            var runId = RequiredString(request, "run_id");
            await Respond(context, () => new JsonObject { ["run"] = RunById(runId).ToJson(Version, created: false) });
        });

        app.MapPost(Api + "runs/update", async context =>
        {
            var request = await Message(context, "run_id", "run_uuid", "status", "end_time", "run_name");
            var runId = RequiredString(request, "run_id");
            var status = OptionalString(request, "status");
            if (status is not (null or "RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED"))
            {
                // An unknown enum name fails proto parsing: INVALID_PARAMETER_VALUE.
                throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid value {status} for parameter 'status' supplied.");
            }

            var endTime = OptionalLong(request, "end_time");
            var runName = OptionalString(request, "run_name");
            await Respond(context, () =>
            {
                var run = ActiveRun(runId);
                run.Status = status ?? run.Status;
                run.EndTime = endTime ?? run.EndTime;
                run.Name = runName ?? run.Name;
                return new JsonObject { ["run_info"] = run.InfoJson() };
            });
        });

        app.MapPost(Api + "runs/log-batch", async context =>
        {
            var request = await Message(context, "run_id", "metrics", "params", "tags");
            var runId = RequiredString(request, "run_id");
            var metrics = (request["metrics"] as JsonArray ?? []).Select(m => ParseMetric(m as JsonObject)).ToList();
            var parameters = KeyValues(request["params"], "params", MaxParamValue);
            var tags = KeyValues(request["tags"], "tags", MaxTagValue);
            // validation._validate_batch_log_limits
            if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100 || metrics.Count + parameters.Count + tags.Count > 1000)
            {
                throw new MlflowError("INVALID_PARAMETER_VALUE", $"A batch logging request can contain at most 1000 metrics, 100 params and 100 tags, and at most 1000 items in total. Got {metrics.Count}/{parameters.Count}/{tags.Count}.");
            }

            await Respond(context, () =>
            {
                var run = ActiveRun(runId);
                // tracking store _log_params: a param is logged once; the same value again is fine, another is refused.
                var changed = parameters.Where(p => run.Params.TryGetValue(p.Key, out var old) && old != p.Value).Select(p => p.Key).ToList();
                if (changed.Count > 0)
                {
                    throw new MlflowError("INVALID_PARAMETER_VALUE", $"Changing param values is not allowed. Params were already logged='{string.Join(", ", changed)}' for run ID='{runId}'.");
                }

                foreach (var (key, value) in parameters) run.Params[key] = value;
                run.Metrics.AddRange(metrics);
                foreach (var tag in tags)
                {
                    run.Tags.RemoveAll(t => t.Key == tag.Key);
                    run.Tags.Add(tag);
                }

                return [];
            });
        });

        app.MapPost(Api + "runs/search", async context =>
        {
            var request = await Message(context, "experiment_ids", "filter", "run_view_type", "max_results", "order_by", "page_token");
            var ids = (request["experiment_ids"] as JsonArray ?? []).Select(i => i!.ToString()).ToHashSet();
            if (!string.IsNullOrEmpty(OptionalString(request, "filter")) || request["order_by"] is JsonArray { Count: > 0 } order && order.Any(o => !IsDefaultRunOrder(o!.ToString())))
            {
                throw NotImplementedByFake("runs/search with a filter or a non-default order_by");
            }

            var (offset, max) = Page(request, defaultMax: 1000, threshold: 50000);
            await Respond(context, () =>
            {
                // Default view ACTIVE_ONLY; tracking store _get_orderby_clauses: start_time DESC, then run_uuid.
                var runs = _runs.Values.Where(r => ids.Contains(r.ExperimentId) && r.Stage == "active")
                    .OrderByDescending(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
                return PageOf("runs", runs.Skip(offset).Take(max).Select(r => r.ToJson(Version, created: false)), offset, max, runs.Count);
            });
        });

        app.MapGet(Api + "registered-models/get", async context =>
        {
            var request = await Message(context, "name");
            var name = RequiredString(request, "name");
            await Respond(context, () => new JsonObject { ["registered_model"] = ModelByName(name).ToJson() });
        });

        app.MapPost(Api + "registered-models/create", async context =>
        {
            var request = await Message(context, "name", "tags", "description", "deployment_job_id");
            var name = RequiredString(request, "name");
            var description = OptionalString(request, "description");
            await Respond(context, () =>
            {
                if (_models.ContainsKey(name))
                {
                    throw new MlflowError("RESOURCE_ALREADY_EXISTS", $"Registered Model (name={name}) already exists. Error: UNIQUE constraint failed: registered_models.name");
                }

                var model = new Model(name, Now(), description);
                _models[name] = model;
                return new JsonObject { ["registered_model"] = model.ToJson() };
            });
        });

        app.MapPost(Api + "model-versions/create", async context =>
        {
            var request = await Message(context, "name", "source", "run_id", "tags", "run_link", "description", "model_id");
            var name = RequiredString(request, "name");
            var source = RequiredString(request, "source");
            var runId = OptionalString(request, "run_id");
            await Respond(context, () =>
            {
                ValidateSource(source, runId);
                var model = ModelByName(name);
                var version = new ModelVersion(model.Name, model.Versions.Count + 1, Now(), source, runId);
                model.Versions.Add(version);
                model.LastUpdated = version.Created;
                return new JsonObject { ["model_version"] = version.ToJson(model.AliasesOf(version.Number)) };
            });
        });

        app.MapGet(Api + "model-versions/get", async context =>
        {
            var request = await Message(context, "name", "version");
            var name = RequiredString(request, "name");
            var number = VersionNumber(RequiredString(request, "version"));
            await Respond(context, () =>
            {
                var model = _models.GetValueOrDefault(name);
                var version = VersionOf(model, name, number);
                return new JsonObject { ["model_version"] = version.ToJson(model!.AliasesOf(number)) };
            });
        });

        app.MapGet(Api + "model-versions/search", async context =>
        {
            var request = await Message(context, "filter", "max_results", "order_by", "page_token");
            var filter = OptionalString(request, "filter") ?? string.Empty;
            var match = SearchFilter().Match(filter);
            if (!match.Success || request["order_by"] is not null)
            {
                throw NotImplementedByFake($"model-versions/search with filter '{filter}' or an order_by");
            }

            // registry store search_model_versions: default 10000, at most 200000.
            var (offset, max) = Page(request, defaultMax: 10000, threshold: 200_000);
            var (field, value) = (match.Groups["field"].Value, match.Groups["value"].Value);
            await Respond(context, () =>
            {
                // Default order: last_updated_timestamp DESC, name ASC, version_number DESC (newest first).
                var versions = _models.Values.SelectMany(m => m.Versions.Select(v => (Model: m, Version: v)))
                    .Where(x => field == "name" ? x.Model.Name == value : x.Version.RunId == value)
                    .OrderByDescending(x => x.Version.LastUpdated).ThenBy(x => x.Model.Name, StringComparer.Ordinal).ThenByDescending(x => x.Version.Number)
                    .ToList();
                return PageOf("model_versions", versions.Skip(offset).Take(max).Select(x => x.Version.ToJson(x.Model.AliasesOf(x.Version.Number))), offset, max, versions.Count);
            });
        });

        app.MapPost(Api + "registered-models/alias", async context =>
        {
            var request = await Message(context, "name", "alias", "version");
            var (name, alias) = (RequiredString(request, "name"), RequiredString(request, "alias"));
            ValidateAlias(alias, forWriting: true);
            var number = VersionNumber(RequiredString(request, "version"));
            await Respond(context, () =>
            {
                // registry store set_registered_model_alias: the version must exist (404 names the version).
                var model = _models.GetValueOrDefault(name);
                VersionOf(model, name, number);
                model!.Aliases[alias] = number;
                return [];
            });
        });

        app.MapGet(Api + "registered-models/alias", async context =>
        {
            var request = await Message(context, "name", "alias");
            var (name, alias) = (RequiredString(request, "name"), RequiredString(request, "alias"));
            ValidateAlias(alias, forWriting: Version == MlflowServerVersion.V2);
            await Respond(context, () =>
            {
                Model? model;
                if (Version == MlflowServerVersion.V2)
                {
                    // 2.x looks the alias up without reading the model: a missing model is a missing alias (400).
                    model = _models.GetValueOrDefault(name);
                }
                else
                {
                    // 3.x reads the model first (404), and "latest" names its newest version.
                    model = ModelByName(name);
                    if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
                    {
                        var latest = model.Versions.LastOrDefault() ?? throw NotFound($"Latest version not found for model {name}.");
                        return new JsonObject { ["model_version"] = latest.ToJson(model.AliasesOf(latest.Number)) };
                    }
                }

                if (model is null || !model.Aliases.TryGetValue(alias, out var number))
                {
                    throw new MlflowError("INVALID_PARAMETER_VALUE", $"Registered model alias {alias} not found.");
                }

                var version = model.Versions[number - 1];
                return new JsonObject { ["model_version"] = version.ToJson(model.AliasesOf(number)) };
            });
        });

        app.MapDelete(Api + "registered-models/alias", async context =>
        {
            // A DELETE's parameters are read from its JSON body; its query string is ignored (handlers._get_request_message).
            var request = await Message(context, "name", "alias");
            var (name, alias) = (RequiredString(request, "name"), RequiredString(request, "alias"));
            ValidateAlias(alias, forWriting: Version == MlflowServerVersion.V2);
            // registry store delete_registered_model_alias: the model must exist; a missing alias is not an error.
            await Respond(context, () =>
            {
                ModelByName(name).Aliases.Remove(alias);
                return [];
            });
        });

        app.MapPut(ArtifactsApi + "/{**path}", async (HttpContext context, string path) =>
        {
            SafePath(path);
            _artifacts[path] = await ReadBody(context);
            await Write(context, HttpStatusCode.OK, []);
        });

        app.MapGet(ArtifactsApi + "/{**path}", async (HttpContext context, string path) =>
        {
            SafePath(path);
            if (!_artifacts.TryGetValue(path, out var bytes))
            {
                // artifact_repo.download_artifacts wraps the OSError of a missing file in INTERNAL_ERROR: a 500.
                throw new MlflowError(
                    "INTERNAL_ERROR",
                    $"The following failures occurred while downloading one or more artifacts from /mlartifacts:\n##### File {path} #####\n[Errno 2] No such file or directory: '/mlartifacts/{path}'");
            }

            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(bytes);
        });

        app.MapGet(ArtifactsApi, async context =>
        {
            // handlers._list_artifacts_mlflow_artifacts: the folder's direct entries by base name; a missing folder lists nothing.
            var request = await Message(context, "path");
            var folder = (OptionalString(request, "path") ?? string.Empty).Trim('/');
            if (folder.Length > 0) SafePath(folder);
            var prefix = folder.Length == 0 ? string.Empty : folder + "/";
            var entries = _artifacts.Where(a => a.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(a => (Relative: a.Key[prefix.Length..], Size: a.Value.Length))
                .GroupBy(e => e.Relative.Split('/')[0])
                .Select(g => g.Any(e => e.Relative.Contains('/'))
                    ? new JsonObject { ["path"] = g.Key, ["is_dir"] = true }
                    : new JsonObject { ["path"] = g.Key, ["is_dir"] = false, ["file_size"] = g.Single().Size });
            await Write(context, HttpStatusCode.OK, Omit(new JsonObject { ["files"] = new JsonArray([.. entries]) }));
        });
    }

    private int MaxTagValue => Version == MlflowServerVersion.V2 ? 5000 : 8000; // validation.MAX_TAG_VAL_LENGTH

    private const int MaxParamValue = 6000; // validation.MAX_PARAM_VAL_LENGTH (2.x and 3.x)

    // ---- request parsing (handlers._get_request_message)

    /// <summary>
    /// The request message: the query string for GET, the JSON body otherwise (DELETE included). POST and PUT need
    /// Content-Type application/json (server/validation._validate_content_type); a body that is not JSON reads as {}.
    /// </summary>
    private async Task<JsonObject> Message(HttpContext context, params string[] fields)
    {
        var http = context.Request;
        JsonObject message;
        if (HttpMethods.IsGet(http.Method))
        {
            message = [];
            foreach (var (key, value) in http.Query)
            {
                message[key] = value.Count == 1 ? value[0] : new JsonArray([.. value.Select(v => (JsonNode?)v)]);
            }
        }
        else
        {
            if ((HttpMethods.IsPost(http.Method) || HttpMethods.IsPut(http.Method)) && http.ContentType is null)
            {
                throw new MlflowError("INVALID_PARAMETER_VALUE", "Bad Request. Content-Type header is missing.");
            }

            if ((HttpMethods.IsPost(http.Method) || HttpMethods.IsPut(http.Method)) && http.ContentType!.Split(';')[0].Trim() != "application/json")
            {
                throw new MlflowError("INVALID_PARAMETER_VALUE", "Bad Request. Content-Type must be one of ['application/json'].");
            }

            try
            {
                message = await ReadBody(context) is { Length: > 0 } bytes ? JsonNode.Parse(bytes) as JsonObject ?? [] : [];
            }
            catch (JsonException)
            {
                message = []; // flask get_json(force=True, silent=True)
            }
        }

        foreach (var (name, _) in message.ToList())
        {
            if (!fields.Contains(name))
            {
                UndocumentedFields.Enqueue($"{http.Method} {http.Path}: {name}");
                message.Remove(name);
            }
        }

        return message;
    }

    /// <summary>
    /// The request body as Flask sees it. 3.x serves Flask behind uvicorn through FastAPI's WSGIMiddleware
    /// (server/fastapi_app.py), which hands a chunked body on without CONTENT_LENGTH, so Flask reads it as empty
    /// (seen on a 3.6 server: a chunked experiments/create answers "Missing value for required parameter 'name'",
    /// a chunked artifact PUT stores an empty file). 2.x under gunicorn reads chunked bodies.
    /// </summary>
    private async Task<byte[]> ReadBody(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return Version == MlflowServerVersion.V3 && context.Request.ContentLength is null ? [] : buffer.ToArray();
    }

    // handlers._assert_required: a missing field and the proto default "" are both missing.
    private static string RequiredString(JsonObject message, string name) =>
        OptionalString(message, name) is { Length: > 0 } value
            ? value
            : throw new MlflowError("INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static string? OptionalString(JsonObject message, string name) => message[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid value {other.ToJsonString()} for parameter '{name}' supplied. Hint: Value was of type '{other.GetValueKind()}'."),
    };

    // proto3 JSON: int64 is a number or a numeric string.
    private static long? OptionalLong(JsonObject message, string name) => message[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.GetValueKind() == JsonValueKind.String && long.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, out var number) => number,
        var other => throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid value {other.ToJsonString()} for parameter '{name}' supplied."),
    };

    // proto3 JSON doubles: a number, or "NaN" / "Infinity" / "-Infinity" / a numeric string. validation._validate_metric then
    // accepts any double; the tracking store keeps NaN and clamps infinity.
    private static Metric ParseMetric(JsonObject? metric)
    {
        if (metric is null)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", "A metric must be an object.");
        }

        var key = RequiredString(metric, "key");
        var value = metric["value"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var text
                => text switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    _ => throw new MlflowError("INVALID_PARAMETER_VALUE", $"Got invalid value {text} for metric '{key}'. Please specify value as a valid double (64-bit floating point)"),
                },
            _ => throw new MlflowError("INVALID_PARAMETER_VALUE", $"Got invalid value for metric '{key}'. Please specify value as a valid double (64-bit floating point)"),
        };
        var timestamp = OptionalLong(metric, "timestamp") ?? throw new MlflowError("INVALID_PARAMETER_VALUE", $"Missing value for required parameter 'timestamp' of metric '{key}'.");
        ValidateKey(key);
        return new Metric(key, double.IsInfinity(value) ? Math.CopySign(MaxDouble, value) : value, timestamp, OptionalLong(metric, "step") ?? 0);
    }

    private static List<KeyValuePair<string, string>> KeyValues(JsonNode? node, string field, int maxValueLength)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var item in node as JsonArray ?? [])
        {
            var entry = item as JsonObject ?? throw new MlflowError("INVALID_PARAMETER_VALUE", $"'{field}' must hold objects.");
            var key = RequiredString(entry, "key");
            var value = OptionalString(entry, "value") ?? string.Empty;
            ValidateKey(key);
            if (value.Length > maxValueLength)
            {
                // validation._validate_length_limit
                throw new MlflowError("INVALID_PARAMETER_VALUE", $"'{key}' exceeds the maximum length of {maxValueLength} characters in {field}.");
            }

            result.Add(new(key, value));
        }

        return result;
    }

    // validation._validate_metric_name / _validate_param_name / _validate_tag_name: path-like names of at most 250 characters.
    private static void ValidateKey(string key)
    {
        if (key.Length > 250 || !KeyPattern().IsMatch(key) || key.Split('/').Any(s => s is "." or ".."))
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid name: '{key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        }
    }

    // validation._validate_model_alias_name (+ _validate_model_alias_name_reserved in 3.x, for writes only).
    private static void ValidateAlias(string alias, bool forWriting)
    {
        if (!AliasPattern().IsMatch(alias) || alias.Length > 255)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid alias name: '{alias}'. Alias names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        if (forWriting && alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", "'latest' alias name (case insensitive) is reserved.");
        }

        if (forWriting && VersionAliasPattern().IsMatch(alias))
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Version alias name '{alias}' is reserved.");
        }
    }

    // validation._validate_model_version (3.x words it differently).
    private int VersionNumber(string version) =>
        int.TryParse(version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new MlflowError("INVALID_PARAMETER_VALUE", Version == MlflowServerVersion.V2
                ? $"Model version must be an integer, got '{version}'"
                : $"Parameter 'version' must be an integer, got '{version}'.");

    // handlers._validate_source: a local path must lie in the run's (local) artifact folder; other URIs must not
    // climb with "..". An mlflow-artifacts: source is not compared with the run's artifact URI.
    private void ValidateSource(string source, string? runId)
    {
        var isLocal = source.StartsWith('/') || source.StartsWith("file:", StringComparison.Ordinal) || !source.Contains(':', StringComparison.Ordinal);
        if (isLocal)
        {
            if (runId is not null)
            {
                RunById(runId);
            }

            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid model version source: '{source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.");
        }

        if (source.Split('/').Contains(".."))
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid model version source: '{source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.");
        }
    }

    // mlflow.utils.uri.validate_path_is_safe
    private static void SafePath(string path)
    {
        if (path.StartsWith('/') || path.Split('/').Any(s => s is ".." or "."))
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid path: {path}");
        }
    }

    // SearchUtils page tokens: base64 of {"offset": n}; max_results must be 1..threshold.
    private static (int Offset, int Max) Page(JsonObject request, int defaultMax, int threshold)
    {
        var max = OptionalLong(request, "max_results") ?? defaultMax;
        if (max < 1 || max > threshold)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", $"Invalid value for request parameter max_results. It must be at most {threshold}, but got value {max}");
        }

        var token = OptionalString(request, "page_token");
        if (string.IsNullOrEmpty(token))
        {
            return (0, (int)max);
        }

        try
        {
            var decoded = JsonNode.Parse(Convert.FromBase64String(token))!["offset"]!.GetValue<int>();
            return (decoded, (int)max);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new MlflowError("INVALID_PARAMETER_VALUE", "Invalid page token, could not base64-decode");
        }
    }

    private static JsonObject PageOf(string field, IEnumerable<JsonObject> items, int offset, int max, int total)
    {
        var page = new JsonObject { [field] = new JsonArray([.. items]) };
        if (offset + max < total)
        {
            page["next_page_token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset + max}}}"));
        }

        return Omit(page);
    }

    private static bool IsDefaultRunOrder(string orderBy) =>
        orderBy.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("attributes.start_timeDESC", StringComparison.OrdinalIgnoreCase);

    private static MlflowError NotImplementedByFake(string what) =>
        new("NOT_IMPLEMENTED", $"The fake MLflow server does not implement {what}; MLflow does. Extend the fake from MLflow's source first.", HttpStatusCode.NotImplemented);

    // ---- state look-ups (tracking store _get_experiment / _get_run; registry store _get_registered_model / _get_sql_model_version)

    private Experiment ExperimentById(string id, bool activeOnly) =>
        _experiments.TryGetValue(id, out var experiment) && (!activeOnly || experiment.Stage == "active")
            ? experiment
            : throw NotFound($"No Experiment with id={id} exists");

    private Run RunById(string runId) =>
        _runs.TryGetValue(runId, out var run) ? run : throw NotFound($"Run with id={runId} not found");

    // tracking store _check_run_is_active: logging to or updating a deleted run is refused.
    private Run ActiveRun(string runId)
    {
        var run = RunById(runId);
        return run.Stage == "active"
            ? run
            : throw new MlflowError("INVALID_PARAMETER_VALUE", $"The run {runId} must be in the 'active' state. Current state is {run.Stage}.");
    }

    private Model ModelByName(string name) =>
        _models.TryGetValue(name, out var model) ? model : throw NotFound($"Registered Model with name={name} not found");

    private static ModelVersion VersionOf(Model? model, string name, int number) =>
        model is not null && number >= 1 && number <= model.Versions.Count
            ? model.Versions[number - 1]
            : throw NotFound($"Model Version (name={name}, version={number}) not found");

    private static MlflowError NotFound(string message) => new("RESOURCE_DOES_NOT_EXIST", message);

    private async Task Respond(HttpContext context, Func<JsonObject> handle)
    {
        JsonObject body;
        lock (_gate)
        {
            body = handle();
        }

        await Write(context, HttpStatusCode.OK, Omit(body));
    }

    private static Task Write(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    // proto_json_utils.message_to_json: unset fields and empty lists are left out of every response.
    private static JsonObject Omit(JsonObject node)
    {
        foreach (var (name, value) in node.ToList())
        {
            if (value is null || value is JsonArray { Count: 0 })
            {
                node.Remove(name);
            }
            else if (value is JsonObject child)
            {
                Omit(child);
            }
            else if (value is JsonArray array)
            {
                foreach (var item in array.OfType<JsonObject>()) Omit(item);
            }
        }

        return node;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [GeneratedRegex(@"^\s*(?<field>name|run_id)\s*=\s*(?<q>['""])(?<value>[^'""]*)\k<q>\s*$")]
    private static partial Regex SearchFilter();

    [GeneratedRegex(@"^[\w\-. /]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[\w\-]+$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionAliasPattern();

    // ---- state, written out as MLflow's entities' to_proto shapes

    private sealed class Experiment(string id, string name, long created)
    {
        public string Name { get; } = name;

        public long Created { get; } = created;

        public string Stage { get; set; } = "active";

        public long LastUpdate { get; set; } = created;

        // With proxied artifacts the default artifact root is mlflow-artifacts:/ and each experiment gets /<id>.
        public JsonObject ToJson() => new()
        {
            ["experiment_id"] = id,
            ["name"] = Name,
            ["artifact_location"] = $"mlflow-artifacts:/{id}",
            ["lifecycle_stage"] = Stage,
            ["last_update_time"] = LastUpdate,
            ["creation_time"] = Created,
        };
    }

    private sealed record Metric(string Key, double Value, long Timestamp, long Step);

    private sealed class Run(string id, string experimentId, string name, long startTime, List<KeyValuePair<string, string>> tags)
    {
        public string Id { get; } = id;

        public string ExperimentId { get; } = experimentId;

        public string Name { get; set; } = name;

        public long StartTime { get; } = startTime;

        public long? EndTime { get; set; }

        public string Status { get; set; } = "RUNNING";

        public string Stage { get; set; } = "active";

        public List<Metric> Metrics { get; } = [];

        public Dictionary<string, string> Params { get; } = [];

        public List<KeyValuePair<string, string>> Tags { get; } = tags;

        public JsonObject InfoJson() => new()
        {
            ["run_uuid"] = Id,
            ["experiment_id"] = ExperimentId,
            ["run_name"] = Name,
            ["user_id"] = string.Empty,
            ["status"] = Status,
            ["start_time"] = StartTime,
            ["end_time"] = EndTime,
            ["artifact_uri"] = $"mlflow-artifacts:/{ExperimentId}/{Id}/artifacts",
            ["lifecycle_stage"] = Stage,
            ["run_id"] = Id,
        };

        // runs/get and runs/search carry each metric's latest value only (tracking store latest_metrics: the
        // greatest step, then timestamp, then value); NaN is written as "NaN" (proto3 JSON). The empty inputs
        // (and, in 3.x, outputs) objects are written as the servers write them.
        public JsonObject ToJson(MlflowServerVersion version, bool created) => new()
        {
            ["info"] = InfoJson(),
            ["data"] = new JsonObject
            {
                ["metrics"] = new JsonArray([.. Metrics.GroupBy(m => m.Key)
                    .Select(g => g.OrderBy(m => m.Step).ThenBy(m => m.Timestamp).ThenBy(m => double.IsNaN(m.Value) ? double.MinValue : m.Value).Last())
                    .Select(m => new JsonObject
                    {
                        ["key"] = m.Key,
                        ["value"] = double.IsNaN(m.Value) ? JsonValue.Create("NaN") : JsonValue.Create(m.Value),
                        ["timestamp"] = m.Timestamp,
                        ["step"] = m.Step,
                    })]),
                ["params"] = new JsonArray([.. Params.Select(p => new JsonObject { ["key"] = p.Key, ["value"] = p.Value })]),
                ["tags"] = new JsonArray([.. Tags.Select(t => new JsonObject { ["key"] = t.Key, ["value"] = t.Value })]),
            },
            ["inputs"] = version == MlflowServerVersion.V3 || !created ? new JsonObject() : null,
            ["outputs"] = version == MlflowServerVersion.V3 && !created ? new JsonObject() : null,
        };
    }

    private sealed class Model(string name, long created, string? description)
    {
        public string Name { get; } = name;

        public long Created { get; } = created;

        public long LastUpdated { get; set; } = created;

        public List<ModelVersion> Versions { get; } = [];

        public Dictionary<string, int> Aliases { get; } = [];

        public IEnumerable<string> AliasesOf(int number) => Aliases.Where(a => a.Value == number).Select(a => a.Key);

        // latest_versions holds the newest version per stage; without stages that is the newest version.
        public JsonObject ToJson() => new()
        {
            ["name"] = Name,
            ["creation_timestamp"] = Created,
            ["last_updated_timestamp"] = LastUpdated,
            ["description"] = string.IsNullOrEmpty(description) ? null : description,
            ["latest_versions"] = new JsonArray([.. Versions.TakeLast(1).Select(v => v.ToJson([]))]),
            ["aliases"] = new JsonArray([.. Aliases.Select(a => new JsonObject { ["alias"] = a.Key, ["version"] = a.Value.ToString(CultureInfo.InvariantCulture) })]),
        };
    }

    private sealed class ModelVersion(string name, int number, long created, string source, string? runId)
    {
        public int Number { get; } = number;

        public long Created { get; } = created;

        public long LastUpdated { get; } = created;

        public string? RunId { get; } = runId;

        // The SQL store fills description and run_link with "" when none was given.
        public JsonObject ToJson(IEnumerable<string> aliases) => new()
        {
            ["name"] = name,
            ["version"] = Number.ToString(CultureInfo.InvariantCulture),
            ["creation_timestamp"] = Created,
            ["last_updated_timestamp"] = LastUpdated,
            ["current_stage"] = "None",
            ["description"] = string.Empty,
            ["source"] = source,
            ["run_id"] = RunId,
            ["status"] = "READY",
            ["run_link"] = string.Empty,
            ["aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode?)a)]),
        };
    }

    /// <summary>An MLflow error; the HTTP status follows the code as mlflow.exceptions.ERROR_CODE_TO_HTTP_STATUS maps it.</summary>
    private sealed class MlflowError(string code, string message, HttpStatusCode? status = null) : Exception(message)
    {
        public string Code { get; } = code;

        public HttpStatusCode Status { get; } = status ?? code switch
        {
            "RESOURCE_DOES_NOT_EXIST" => HttpStatusCode.NotFound,
            "INTERNAL_ERROR" => HttpStatusCode.InternalServerError,
            _ => HttpStatusCode.BadRequest,
        };
    }
}

public sealed record RecordedRequest(string Method, string Path, string Query, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
