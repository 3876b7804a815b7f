using System.Text.Json.Serialization;

namespace Cairn.Inference;

/// <summary>How a detector's raw outputs are laid out; decides how they are decoded into boxes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutputLayout>))]
public enum OutputLayout
{
    /// <summary>YOLOv5u/v8/v11 export: one output [B, 4+C, N], rows cx, cy, w, h then C class scores, columns are anchors.</summary>
    YoloChannelsFirst,

    /// <summary>The same as <see cref="YoloChannelsFirst"/> transposed: [B, N, 4+C].</summary>
    YoloChannelsLast,

    /// <summary>YOLOv5 export with objectness: [B, N, 5+C], cx, cy, w, h, objectness, then C class scores (score = objectness × class).</summary>
    YoloObjectness,

    /// <summary>End-to-end export (YOLOv10, or any export with NMS inside): [B, N, 6], x1, y1, x2, y2, score, class.</summary>
    EndToEnd,

    /// <summary>Separate outputs found by name: boxes [B, N, 4] (x1, y1, x2, y2), scores [B, N] and labels [B, N]; already final, no NMS.</summary>
    BoxesScoresLabels,
}
