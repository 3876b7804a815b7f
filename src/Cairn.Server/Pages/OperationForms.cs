using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// The HTML forms that start operations on a project. Field names: <c>p.NAME</c> text, <c>p.NAME[]</c> comma list,
/// <c>p.NAME#</c> number, <c>p.NAME?</c> checkbox, <c>p.NAME$</c> JSON. The augment form is a step editor
/// (Static/augment-form.js) over the pipeline JSON field, which it keeps in step.
/// </summary>
public static partial class OperationForms
{
    private static readonly Dictionary<string, (string Title, string Fields)> Forms = new(StringComparer.Ordinal)
    {
        ["filter"] = ("Filter", """
            <label class="field"><span>Any of classes</span><input name="p.classes[]" placeholder="person, car"></label>
            <label class="field"><span>None of classes</span><input name="p.absent[]" placeholder="dog"></label>
            <label class="field"><span>Objects from</span><input name="p.minObjects#" type="number" min="0"> to <input name="p.maxObjects#" type="number" min="0"></label>
            <label class="field"><span>Name matches (regex)</span><input name="p.name"></label>
            """),
        ["split"] = ("Split", """
            <label class="field"><span>Parts (JSON)</span><input name="p.parts$" size="60" value="[{&quot;name&quot;:&quot;train&quot;,&quot;ratio&quot;:0.8},{&quot;name&quot;:&quot;val&quot;,&quot;ratio&quot;:0.2}]"></label>
            <label class="field"><span>Into</span><select name="p.target"><option>datasets</option><option>tags</option></select></label>
            <label class="field"><span>Stratified by class</span><input type="checkbox" name="p.stratified?" value="true"></label>
            <label class="field"><span>Seed</span><input name="p.seed#" type="number" value="1"></label>
            """),
        ["augment"] = ("Augment", """
            <div class="aug-editor" id="aug-editor" data-catalog="{catalog}" data-project-id="{projectId}">
            <p class="muted">Build the pipeline step by step; the preview runs it on the project's first image. Steps run in order, each with its probability.</p>
            <div class="aug-settings"><label class="field"><span>Seed</span><input id="aug-seed" type="number" min="0" step="1" data-path="seed"></label>
            <label class="field"><span>Outputs per image (1–1000)</span><input id="aug-outputs" type="number" min="1" max="1000" step="1" data-path="outputsPerImage"></label></div>
            <div class="aug-body"><div class="aug-list"><h3>Steps</h3><ol id="aug-steps" class="aug-steps"></ol>
            <p class="aug-add"><label for="aug-add-op">Transform</label> <select id="aug-add-op"></select> <button type="button" class="secondary" id="aug-add">Add step</button></p></div>
            <figure class="aug-preview"><img id="aug-preview" alt="The pipeline applied to a sample image of the project" data-state="idle">
            <figcaption><span id="aug-preview-status" class="muted">Preview</span> <label>Image <select id="aug-preview-item" class="depth"><option value="">first image</option></select></label> <label>Variant <input id="aug-preview-index" type="number" min="0" max="999" value="0" class="depth"></label></figcaption></figure></div>
            <details class="aug-advanced"><summary>Advanced: the pipeline as JSON</summary>
            <label class="field"><span>Pipeline (JSON, docs/operations.md)</span><textarea name="p.pipeline$" id="aug-json" rows="6" cols="70">{"version": 1, "seed": 7, "outputsPerImage": 2, "steps": [{"op": "hflip", "p": 0.5}, {"op": "rotate", "angle": [-15, 15]}, {"op": "brightness", "delta": [-20, 20]}]}</textarea></label>
            </details></div>
            <label class="field"><span>Keep the originals</span><input type="checkbox" name="p.keepOriginals?" value="true"></label>
            """),
        ["transform"] = ("Transform annotations", """
            <label class="field"><span>Steps (JSON, docs/operations.md)</span><textarea name="p.ops$" rows="5" cols="70">[{"op": "renameClass", "from": "old", "to": "new"}, {"op": "dropLabels", "minArea": 16}]</textarea></label>
            """),
        ["merge"] = ("Merge with other projects", """
            <label class="field"><span>Projects or versions (comma list, this one first; <code>name@N:dataset</code> takes one dataset)</span><input name="p.inputs[]" required size="50" value="{project}, "></label>
            <label class="field"><span>Into one dataset (optional)</span><input name="p.dataset" placeholder="keep the sources' datasets"></label>
            <label class="field"><span>Class renames (JSON, optional)</span><input name="p.renames$" size="50" placeholder="[{&quot;source&quot;:&quot;b&quot;,&quot;from&quot;:&quot;car&quot;,&quot;to&quot;:&quot;vehicle&quot;}]"></label>
            <label class="field"><span>One dataset per source</span><input type="checkbox" name="p.datasetPerSource?" value="true"></label>
            <label class="field"><span>Skip duplicate images</span><input type="checkbox" name="p.skipDuplicates?" value="true" checked></label>
            """),
        ["copy-paste"] = ("Copy-paste objects onto these images", """
            <label class="field"><span>Objects from (project or project@N with polygon or mask labels)</span><input name="p.objects" required placeholder="shapes@1"></label>
            <label class="field"><span>Only classes</span><input name="p.classes[]" placeholder="all"></label>
            <label class="field"><span>Outputs per image</span><input name="p.perBackground#" type="number" min="1" max="100" value="1"></label>
            <label class="field"><span>Objects per image from</span><input name="p.minObjects#" type="number" min="0" value="1"> to <input name="p.maxObjects#" type="number" min="0" value="4"></label>
            <label class="field"><span>Scale from</span><input name="p.scaleMin#" type="number" step="0.05" min="0.05" value="0.5"> to <input name="p.scaleMax#" type="number" step="0.05" min="0.05" value="1.5"></label>
            <label class="field"><span>Flip probability</span><input name="p.flip#" type="number" step="0.05" min="0" max="1" value="0.5"></label>
            <label class="field"><span>Label only if visible ≥</span><input name="p.minVisible#" type="number" step="0.05" min="0" max="1" value="0.2"></label>
            <label class="field"><span>Seed</span><input name="p.seed#" type="number" value="1"></label>
            """),
        ["predict"] = ("Predict with a model", """
            <label class="field"><span>Model (name or id)</span><input name="p.model" required placeholder="shapes-det"></label>
            <label class="field"><span>Confidence ≥</span><input name="p.conf#" type="number" step="0.01" min="0" max="1" value="0.25"></label>
            """),
        ["benchmark"] = ("Benchmark a model on this project", """
            <label class="field"><span>Model (name or id)</span><input name="p.model" required placeholder="shapes-det"></label>
            <label class="field"><span>Confidence ≥</span><input name="p.conf#" type="number" step="0.001" min="0" max="1" value="0.001" title="0.001 is Ultralytics' validation setting (the full precision-recall curve); deployment thresholds are higher"></label>
            <label class="field"><span>Title</span><input name="p.title" placeholder="shapes-det on val"></label>
            """),
    };


    /// <summary>True when there is a form for <paramref name="kind"/>.</summary>
    public static bool Has(string kind) => Forms.ContainsKey(kind);

    /// <summary>Adds (or replaces) the form fields of an operation kind.</summary>
    public static void Register(string kind, string title, string fieldsHtml) => Forms[kind] = (title, fieldsHtml);

    /// <summary>The form for <paramref name="kind"/> with the input project filled in.</summary>
    public static string Form(string kind, string project) => Form(kind, project, 0, null);

    /// <summary>
    /// The form for <paramref name="kind"/> on project <paramref name="project"/> (id <paramref name="projectId"/>); with
    /// <paramref name="state"/>, the fields hold what the user posted and the server's message stands beside the field it names.
    /// </summary>
    public static string Form(string kind, string project, long projectId, OperationFormState? state)
    {
        var (title, fields) = Forms[kind];
        fields = fields.Replace("{project}", H(project), StringComparison.Ordinal)
            .Replace("{projectId}", projectId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{catalog}", H(AugmentCatalog.Json()), StringComparison.Ordinal);
        if (kind != "benchmark")
        {
            // A benchmark writes an evaluation, not a project.
            fields += $"<label class=\"field\"><span>Output project</span><input name=\"p.output\" required value=\"{H(project)}-{H(kind)}\"></label>";
        }

        var formError = string.Empty;
        if (state is not null)
        {
            fields = Fill(fields, state.Values);
            (fields, var placed) = PlaceError(fields, kind, state.Field, state.Message);
            if (!placed)
            {
                formError = $"<p class=\"field-error form-error\" id=\"error-{H(kind)}\" role=\"alert\">{H(state.Message)}</p>";
            }
        }

        // The augment form is checked by the server (whose messages name the step and parameter), not by the browser's
        // bubbles: the inputs still carry their ranges, and a value outside them comes back with the message beside it.
        var novalidate = kind == "augment" ? " novalidate" : string.Empty;
        var sb = new StringBuilder($"<section class=\"op\"><h2>{H(title)}</h2><form method=\"post\" action=\"/tasks/start\" id=\"op-{H(kind)}\"{novalidate}>");
        sb.Append(formError);
        sb.Append($"<input type=\"hidden\" name=\"kind\" value=\"{H(kind)}\">");
        if (projectId > 0)
        {
            sb.Append($"<input type=\"hidden\" name=\"project\" value=\"{projectId.ToString(CultureInfo.InvariantCulture)}\">");
        }

        if (kind != "merge")
        {
            // A merge names all its inputs in one list (this project first).
            sb.Append($"<input type=\"hidden\" name=\"p.input\" value=\"{H(project)}\">");
        }

        sb.Append(fields);
        sb.Append($"<button type=\"submit\">Start {H(kind)}</button></form></section>");
        return sb.ToString();
    }

    /// <summary>The form field that a parameter path (<c>pipeline.steps[1].p</c>, <c>parts[0].ratio</c>, <c>seed</c>) belongs to: its first member.</summary>
    public static string Member(string path)
    {
        var end = path.IndexOfAny(['.', '[']);
        return end < 0 ? path : path[..end];
    }

    // The templates are this file's own markup, every field written as <input name="p.…" …>, <textarea name="p.…" …> or
    // <select name="p.…">, so a field is found by its name attribute.
    private static string Fill(string fields, IReadOnlyDictionary<string, string> values)
    {
        foreach (var m in InputTag().Matches(fields).Cast<Match>().Where(m => m.Value.Contains("type=\"checkbox\"", StringComparison.Ordinal)).Reverse())
        {
            // An unchecked box is not posted: every box shows what was posted, checked or not.
            var name = WebUtility.HtmlDecode(m.Groups["name"].Value);
            var on = values.TryGetValue(name, out var v) && v is "true" or "on";
            var tag = m.Value.Replace(" checked", string.Empty, StringComparison.Ordinal);
            tag = on ? tag[..^1] + " checked>" : tag;
            fields = fields[..m.Index] + tag + fields[(m.Index + m.Length)..];
        }

        foreach (var (name, value) in values)
        {
            var n = Regex.Escape(H(name));
            fields = Regex.Replace(fields, $"<input name=\"{n}\"(?<rest>[^>]*)>", m =>
            {
                var rest = m.Groups["rest"].Value;
                return rest.Contains("type=\"checkbox\"", StringComparison.Ordinal) ? m.Value : $"<input name=\"{H(name)}\"{ValueAttr().Replace(rest, string.Empty)} value=\"{H(value)}\">";
            });
            fields = Regex.Replace(fields, $"<textarea name=\"{n}\"(?<attrs>[^>]*)>.*?</textarea>", m => $"<textarea name=\"{H(name)}\"{m.Groups["attrs"].Value}>{H(value)}</textarea>", RegexOptions.Singleline);
            fields = Regex.Replace(fields, $"<select name=\"{n}\">(?<options>.*?)</select>", m =>
                $"<select name=\"{H(name)}\">{m.Groups["options"].Value.Replace(" selected", string.Empty, StringComparison.Ordinal).Replace($"<option>{H(value)}</option>", $"<option selected>{H(value)}</option>", StringComparison.Ordinal)}</select>", RegexOptions.Singleline);
        }

        return fields;
    }

    // Puts the message right after the label of the field that the parameter path names (p.NAME with any suffix), and
    // marks the field invalid and described by it. A path inside the augment pipeline keeps its full path in
    // data-field, where the step editor finds the step's own input.
    private static (string Fields, bool Placed) PlaceError(string fields, string kind, string? path, string message)
    {
        if (path is null)
        {
            return (fields, false);
        }

        var member = Member(path);
        var m = Regex.Match(fields, $"<(?:input|textarea|select) name=\"p\\.{Regex.Escape(member)}(?:\\[\\]|[#?$])?\"");
        if (!m.Success)
        {
            return (fields, false);
        }

        var id = $"error-{kind}-{member}";
        var close = fields.IndexOf("</label>", m.Index, StringComparison.Ordinal);
        if (close < 0)
        {
            return (fields, false);
        }

        var error = $"<p class=\"field-error\" id=\"{H(id)}\" role=\"alert\" data-field=\"{H(path)}\">{H(message)}</p>";
        fields = fields[..(close + "</label>".Length)] + error + fields[(close + "</label>".Length)..];
        var open = m.Value;
        fields = fields[..m.Index] + open + $" aria-invalid=\"true\" aria-describedby=\"{H(id)}\"" + fields[(m.Index + open.Length)..];
        return (fields, true);
    }

    [GeneratedRegex("<input [^>]*\\bname=\"(?<name>[^\"]+)\"[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex(" value=\"[^\"]*\"")]
    private static partial Regex ValueAttr();
}
