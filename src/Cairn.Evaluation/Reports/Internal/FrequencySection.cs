using System.Globalization;
using System.Text;
using Cairn.Evaluation.Coco;
using static Cairn.Evaluation.Reports.Internal.Svg;

namespace Cairn.Evaluation.Reports.Internal;

/// <summary>The report's LVIS-style APr / APc / APf table.</summary>
internal static class FrequencySection
{
    public static string Render(FrequencyGroups f)
    {
        static string Ap(double v) => v < 0 ? "—" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture);
        var how = f.Source == FrequencyGroups.FromField
            ? "from the <code>frequency</code> field of the categories (LVIS: training images a class appears in)"
            : f.Source == FrequencyGroups.FromImageCounts
                ? "<b>from the images each class appears in within this ground truth</b>, since its categories carry no LVIS <code>frequency</code> field"
                : $"partly from the <code>frequency</code> field, partly from ground-truth image counts ({E(f.Source)})";
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"<p class=\"lead\">COCO AP (IoU .50:.95) averaged within LVIS frequency groups: rare 1–10 images, common 11–100, frequent more than 100. Groups are {how}. — means no class of the group has objects here.</p>"));
        sb.Append("<table><tr><th class=\"l\">group</th><th>AP</th><th>classes</th><th>with objects</th></tr>");
        foreach (var (name, g) in new[] { ("APr (rare)", f.Rare), ("APc (common)", f.Common), ("APf (frequent)", f.Frequent) })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(name)}</td><td><b>{Ap(g.Ap)}</b></td><td>{g.Classes:N0}</td><td>{g.ClassesWithObjects:N0}</td></tr>");
        }

        return sb.Append("</table>").ToString();
    }
}
