using System.Text;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// The HTML forms that start operations on a project. Field names: <c>p.NAME</c> text, <c>p.NAME[]</c> comma list,
/// <c>p.NAME#</c> number, <c>p.NAME?</c> checkbox, <c>p.NAME$</c> JSON.
/// </summary>
public static class OperationForms
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
            <label class="field"><span>Pipeline (JSON, docs/operations.md)</span><textarea name="p.pipeline$" rows="6" cols="70">{"version": 1, "seed": 7, "outputsPerImage": 2, "steps": [{"op": "hflip", "p": 0.5}, {"op": "rotate", "angle": [-15, 15]}, {"op": "brightness", "delta": [-20, 20]}]}</textarea></label>
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
            <label class="field"><span>Title</span><input name="p.title" placeholder="shapes-det on val"></label>
            """),
    };

    /// <summary>True when there is a form for <paramref name="kind"/>.</summary>
    public static bool Has(string kind) => Forms.ContainsKey(kind);

    /// <summary>Adds (or replaces) the form fields of an operation kind.</summary>
    public static void Register(string kind, string title, string fieldsHtml) => Forms[kind] = (title, fieldsHtml);

    /// <summary>The form for <paramref name="kind"/> with the input project filled in.</summary>
    public static string Form(string kind, string project)
    {
        var (title, fields) = Forms[kind];
        var sb = new StringBuilder($"<section class=\"op\"><h2>{H(title)}</h2><form method=\"post\" action=\"/tasks/start\" id=\"op-{H(kind)}\">");
        sb.Append($"<input type=\"hidden\" name=\"kind\" value=\"{H(kind)}\">");
        if (kind != "merge")
        {
            // A merge names all its inputs in one list (this project first).
            sb.Append($"<input type=\"hidden\" name=\"p.input\" value=\"{H(project)}\">");
        }

        sb.Append(fields.Replace("{project}", H(project), StringComparison.Ordinal));
        if (kind != "benchmark")
        {
            // A benchmark writes an evaluation, not a project.
            sb.Append($"<label class=\"field\"><span>Output project</span><input name=\"p.output\" required value=\"{H(project)}-{H(kind)}\"></label>");
        }

        sb.Append($"<button type=\"submit\">Start {H(kind)}</button></form></section>");
        return sb.ToString();
    }
}
