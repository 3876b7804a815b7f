using System.Text;
using Cairn.Storage.Catalog;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// The item page's navigation (previous and next item of the dataset) and, for a user who may write, the annotation
/// editor's frame: toolbar, class picker, image tags, help panel. editor.js (on Konva) fills the canvas; what it needs
/// comes in data-* attributes, and it loads the annotation and classes from the API.
/// </summary>
public static class ItemEditor
{
    /// <summary>The hotkeys the editor answers, as the help panel and docs/editor.md list them.</summary>
    public static readonly IReadOnlyList<(string Keys, string What)> Hotkeys =
    [
        ("V", "select and move (drag an empty spot to pan)"),
        ("B", "draw a box: press, drag, release"),
        ("P", "draw a polygon: click each vertex; Enter or a click on the first vertex closes it"),
        ("O", "place a point"),
        ("1 … 9", "the n-th class: the selected object's class, and the class of new objects"),
        ("Delete, Backspace", "delete the selected object"),
        ("Ctrl+C, Ctrl+V", "copy the selected object, paste it (offset by 10 px)"),
        ("Ctrl+Z", "undo"),
        ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
        ("Ctrl+S", "save the working state"),
        ("Wheel", "zoom at the pointer"),
        ("Space + drag, middle button drag", "pan"),
        ("F", "fit the image to the view"),
        ("Esc", "cancel the shape being drawn, then clear the selection"),
        ("Double-click on a selected polygon's edge", "add a vertex there"),
        ("Alt+click on a vertex", "delete the vertex (a polygon keeps three)"),
        ("?", "show or hide this help"),
    ];

    /// <summary>The navigation and, when <paramref name="canEdit"/>, the editor (open at once when <paramref name="open"/>).</summary>
    public static string Render(ItemRow item, long projectId, bool canEdit, bool open, long? previousId, long? nextId)
    {
        var query = open ? "?edit=true" : string.Empty;
        var sb = new StringBuilder("<nav class=\"item-nav\">");
        sb.Append(previousId is { } p ? $"<a id=\"item-prev\" href=\"/items/{p}{query}\">← previous</a>" : "<span class=\"muted\">← previous</span>");
        sb.Append(nextId is { } n ? $"<a id=\"item-next\" href=\"/items/{n}{query}\">next →</a>" : "<span class=\"muted\">next →</span>");
        if (canEdit)
        {
            sb.Append("<button id=\"edit-toggle\" class=\"secondary\" type=\"button\">Edit annotations</button>");
        }

        sb.Append("</nav>");
        if (!canEdit)
        {
            return sb.ToString();
        }

        sb.Append($"<section id=\"editor\" class=\"editor\"{(open ? string.Empty : " hidden")} data-item=\"{item.Id}\" data-project=\"{projectId}\" data-image=\"/api/v1/items/{item.Id}/image?direct=false\" data-width=\"{item.Width}\" data-height=\"{item.Height}\" data-open=\"{(open ? "1" : "0")}\">");
        sb.Append($"<h1>{H(item.Name)}</h1>");
        sb.Append("<div class=\"ed-toolbar\" role=\"toolbar\">");
        foreach (var (tool, text, key) in new[] { ("select", "Select", "V"), ("box", "Box", "B"), ("polygon", "Polygon", "P"), ("point", "Point", "O") })
        {
            sb.Append($"<button type=\"button\" class=\"secondary tool\" data-tool=\"{tool}\" title=\"{text} ({key})\">{text} <kbd>{key}</kbd></button>");
        }

        sb.Append("<span class=\"sep\"></span>");
        sb.Append("<button type=\"button\" class=\"secondary\" id=\"ed-undo\" title=\"Undo (Ctrl+Z)\">Undo</button>");
        sb.Append("<button type=\"button\" class=\"secondary\" id=\"ed-redo\" title=\"Redo (Ctrl+Shift+Z)\">Redo</button>");
        sb.Append("<button type=\"button\" class=\"secondary\" id=\"ed-delete\" title=\"Delete (Del)\">Delete</button>");
        sb.Append("<button type=\"button\" class=\"secondary\" id=\"ed-fit\" title=\"Fit (F)\">Fit</button>");
        sb.Append("<button type=\"button\" class=\"secondary\" id=\"ed-help-toggle\" title=\"Hotkeys (?)\">?</button>");
        sb.Append("<span class=\"sep\"></span>");
        sb.Append("<button type=\"button\" id=\"ed-save\" title=\"Save (Ctrl+S)\">Save</button>");
        sb.Append("<span id=\"ed-status\" class=\"muted\" role=\"status\">loading…</span>");
        sb.Append("</div>");
        sb.Append("<div class=\"ed-main\"><div id=\"ed-stage\" class=\"ed-stage\"></div><aside class=\"ed-side\">");
        sb.Append("<h2>Class</h2><p><select id=\"ed-class\" aria-label=\"class of the selected object and of new objects\"></select></p>");
        sb.Append("<p id=\"ed-selection\" class=\"muted\">nothing selected</p>");
        sb.Append("<details id=\"ed-add-class-box\"><summary>Add a class to the project</summary>");
        sb.Append("<p><input id=\"ed-new-class\" placeholder=\"class name\" maxlength=\"100\" aria-label=\"new class name\"> ");
        sb.Append("<select id=\"ed-new-shape\" aria-label=\"shape of the new class\"><option value=\"any\">any shape</option><option value=\"rectangle\">rectangle</option><option value=\"polygon\">polygon</option><option value=\"point\">point</option></select> ");
        sb.Append("<button type=\"button\" class=\"secondary\" id=\"ed-add-class\">Add class</button></p>");
        sb.Append("<p class=\"muted\">The class is added to the project's classes at once (the next version records it).</p></details>");
        sb.Append("<h2>Image tags</h2><ul id=\"ed-tags\" class=\"ed-tags\"></ul>");
        sb.Append("<p><input id=\"ed-tag\" placeholder=\"name or name=value\" aria-label=\"new image tag\"> <button type=\"button\" class=\"secondary\" id=\"ed-add-tag\">Add tag</button></p>");
        sb.Append("<p id=\"ed-count\" class=\"muted\"></p>");
        sb.Append("</aside></div>");
        sb.Append("<div id=\"ed-help\" class=\"ed-help\" hidden><h2>Hotkeys</h2><table class=\"grid\"><tbody>");
        foreach (var (keys, what) in Hotkeys)
        {
            sb.Append($"<tr><td><kbd>{H(keys)}</kbd></td><td>{H(what)}</td></tr>");
        }

        sb.Append("</tbody></table></div></section>");
        return sb.ToString();
    }
}
