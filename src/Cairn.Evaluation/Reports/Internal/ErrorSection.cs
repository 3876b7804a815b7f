using System.Globalization;
using System.Text;
using Cairn.Evaluation.Diagnostics;
using static Cairn.Evaluation.Reports.Internal.Svg;

namespace Cairn.Evaluation.Reports.Internal;

/// <summary>The report's TIDE-style error breakdown: a table of counts and AP gains, and a bar chart of the gains.</summary>
internal static class ErrorSection
{
    private static readonly Dictionary<string, (string Label, string Meaning, string Color)> Types = new()
    {
        ["cls"] = ("Classification", "right place, wrong class (IoU ≥ fg with an object of another class)", "#e15759"),
        ["loc"] = ("Localisation", "right class, box off (fg > IoU ≥ bg)", "#f28e2b"),
        ["both"] = ("Both", "wrong class and box off (another class, fg > IoU ≥ bg)", "#b07aa1"),
        ["dupe"] = ("Duplicate", "right class and place, but the object was already found", "#76b7b2"),
        ["bkg"] = ("Background", "overlaps nothing (IoU < bg with every object)", "#9c755f"),
        ["missed"] = ("Missed", "object no detection found or points at", "#edc948"),
    };

    public static string Render(ErrorBreakdown e)
    {
        string Points(double v) => (v * 100).ToString("0.00", CultureInfo.InvariantCulture);
        var fg = e.ForegroundIou.ToString("0.0#", CultureInfo.InvariantCulture);
        var bg = e.BackgroundIou.ToString("0.0#", CultureInfo.InvariantCulture);
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"<p class=\"lead\">Where the AP goes, after TIDE (Bolya et al. 2020): each false positive at IoU fg = {fg} gets one error type, objects nothing found are missed, and dAP is the AP gained (in points) if every error of that type alone were fixed. Base AP{(e.ForegroundIou * 100).ToString("0", CultureInfo.InvariantCulture)}: <b>{Points(e.Ap)}</b> (mean over classes with objects, 101 recall points; bg = {bg}).</p>"));
        sb.Append("<div class=\"grid2\"><div><table><tr><th class=\"l\">error</th><th>count</th><th>dAP</th><th class=\"l\">what it is</th></tr>");
        foreach (var x in e.Errors)
        {
            var (label, meaning, _) = Types.GetValueOrDefault(x.Type, (x.Type, "", "#bab0ac"));
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(label)}</td><td>{x.Count:N0}</td><td><b>{Points(x.DeltaAp)}</b></td><td class=\"l muted\">{E(meaning)}</td></tr>");
        }

        sb.Append("</table></div><div>");
        var labels = e.Errors.Select(x => Types.TryGetValue(x.Type, out var t) ? t.Label : x.Type).ToList();
        sb.Append(Bars(labels, [("dAP (points)", "#e15759", [.. e.Errors.Select(x => x.DeltaAp * 100)])], "error type", "AP gained when fixed (points)", valueFormat: "0.00"));
        return sb.Append("</div></div>").ToString();
    }
}
