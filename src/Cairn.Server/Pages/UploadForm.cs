using System.Text;
using Cairn.Core.Formats;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// The upload control: drop images, a folder or an archive (or choose them), pick the format and the project or
/// dataset, and upload.js sends the files in checksummed chunks (resuming after a reload), then starts the import task
/// and opens its page. Without a project it makes a new one; with one, it imports into it.
/// </summary>
public static class UploadForm
{
    /// <summary>The script that runs the control.</summary>
    public const string Script = "<script src=\"/static/upload.js\"></script>";

    /// <summary>The control; <paramref name="project"/> null for a new project, else the project to import into and its datasets.</summary>
    public static string Render(string? project, IEnumerable<string> datasets)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var sb = new StringBuilder("<section class=\"upload\" id=\"upload\">");
        sb.Append(project is null ? "<h2>Upload a dataset as a new project</h2>" : "<h2>Upload into this project</h2>");
        sb.Append($"<form id=\"upload-form\" data-existing=\"{(project is null ? "false" : "true")}\" data-project=\"{H(project)}\">");
        sb.Append("<div class=\"dropzone\" id=\"upload-drop\"><p>Drop images, a folder, or a COCO / YOLO / VOC / Supervisely archive (.zip, .tar.gz) here, or choose:</p>");
        sb.Append("<label class=\"field\"><span>Files or an archive</span><input type=\"file\" id=\"upload-files\" multiple></label>");
        sb.Append("<label class=\"field\"><span>A folder</span><input type=\"file\" id=\"upload-folder\" webkitdirectory multiple></label>");
        sb.Append("<p class=\"muted\" id=\"upload-chosen\">Nothing chosen yet.</p></div>");
        sb.Append("<label class=\"field\"><span>Format</span><select name=\"format\" id=\"upload-format\">");
        sb.Append("<option value=\"images\">images (no annotations)</option>");
        foreach (var f in DatasetFormats.Names)
        {
            sb.Append($"<option value=\"{H(f)}\">{H(f)}</option>");
        }

        sb.Append("</select></label>");
        if (project is null)
        {
            sb.Append("<label class=\"field\"><span>New project name</span><input name=\"project\" id=\"upload-project\" required></label>");
            sb.Append("<label class=\"field\"><span>Dataset (optional)</span><input name=\"dataset\" id=\"upload-dataset\" placeholder=\"keep the datasets the format names\"></label>");
        }
        else
        {
            sb.Append("<label class=\"field\"><span>Dataset (chosen or new; optional)</span><input name=\"dataset\" id=\"upload-dataset\" list=\"upload-datasets\" placeholder=\"keep the datasets the format names\"></label><datalist id=\"upload-datasets\">");
            foreach (var d in datasets)
            {
                sb.Append($"<option value=\"{H(d)}\"></option>");
            }

            sb.Append("</datalist>");
        }

        sb.Append("<label class=\"field\"><span>COCO annotation file (optional)</span><input name=\"annotations\" id=\"upload-annotations\" placeholder=\"annotations/instances_val2017.json\"></label>");
        sb.Append("<button type=\"submit\" id=\"upload-start\">Upload and import</button> ");
        sb.Append("<progress id=\"upload-progress\" max=\"1\" value=\"0\" hidden></progress> <span id=\"upload-status\" class=\"muted\" role=\"status\"></span>");
        sb.Append("<p id=\"upload-error\" class=\"removed\" role=\"alert\"></p>");
        sb.Append("</form><p class=\"muted\">Large uploads go in checksummed 8 MiB chunks: after a reload or a lost connection, choose the same files again and the upload goes on where it stopped. Nothing is imported until every chunk has arrived.</p></section>");
        return sb.ToString();
    }
}
