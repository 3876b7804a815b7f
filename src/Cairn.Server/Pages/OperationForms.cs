using System.Text;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>The HTML forms that start operations on a project (field names: p.NAME text, p.NAME[] comma list, p.NAME# number).</summary>
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
        sb.Append($"<input type=\"hidden\" name=\"kind\" value=\"{H(kind)}\"><input type=\"hidden\" name=\"p.input\" value=\"{H(project)}\">");
        sb.Append(fields);
        sb.Append($"<label class=\"field\"><span>Output project</span><input name=\"p.output\" required value=\"{H(project)}-{H(kind)}\"></label><button type=\"submit\">Start {H(kind)}</button></form></section>");
        return sb.ToString();
    }
}
