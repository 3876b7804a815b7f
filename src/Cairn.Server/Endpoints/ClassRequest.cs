using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Core.Model;
using Cairn.Core.Serialization;

namespace Cairn.Server.Endpoints;

/// <summary>A new class sent by a client (the editor's "Add class"): a name the project lacks, an optional shape and colour.</summary>
public static partial class ClassRequest
{
    /// <summary>What is wrong with a body: the field, what was expected there, and whether it names a class that exists (409).</summary>
    public sealed record Error(string Field, string Expected, bool Conflict = false);

    // Distinct hues for classes added without a colour, taken in turn by the number of classes the project has.
    private static readonly string[] Palette = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324", "#800000", "#000075"];

    private static readonly string[] Shapes = ["any", "rectangle", "polygon", "mask", "point", "polyline"];

    /// <summary>The class, or null with <paramref name="error"/> set.</summary>
    public static ObjClass? TryRead(JsonElement body, ProjectMeta meta, out Error? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = new("$", "a JSON object {\"name\":…,\"shape\":…,\"color\":\"#rrggbb\"}");
            return null;
        }

        if (!body.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String || n.GetString()!.Trim() is not { Length: > 0 and <= 100 } name)
        {
            error = new("name", "the class name, a string of 1 to 100 characters");
            return null;
        }

        if (meta.FindClass(name) is not null)
        {
            error = new("name", $"a name the project has no class of; \"{name}\" exists", Conflict: true);
            return null;
        }

        var shape = "any";
        if (body.TryGetProperty("shape", out var sh) && sh.ValueKind != JsonValueKind.Null)
        {
            if (sh.ValueKind != JsonValueKind.String || !Shapes.Contains(sh.GetString(), StringComparer.Ordinal))
            {
                error = new("shape", $"one of {string.Join(", ", Shapes)} (keypoint classes need a template: import them)");
                return null;
            }

            shape = sh.GetString()!;
        }

        var color = Palette[meta.Classes.Count % Palette.Length];
        if (body.TryGetProperty("color", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.String || !HexColor().IsMatch(c.GetString()!))
            {
                error = new("color", "a colour as #rrggbb");
                return null;
            }

            color = c.GetString()!.ToLowerInvariant();
        }

        return new ObjClass(name, ProjectMetaJson.ParseShape(shape), color);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}
