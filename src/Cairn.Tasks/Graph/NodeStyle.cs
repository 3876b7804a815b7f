using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Graph;

/// <summary>Icons and colours of node kinds and task statuses (shared by the web UI and the SVG/PNG export).</summary>
public static class NodeStyle
{
    /// <summary>A one-character icon for a node kind (drawn with common fonts, no emoji).</summary>
    public static string Icon(string kind) => kind switch
    {
        NodeKinds.Project => "■",
        NodeKinds.Version => "◆",
        NodeKinds.Dataset => "≡",
        NodeKinds.Task => "▶",
        NodeKinds.File => "□",
        NodeKinds.Folder => "▤",
        NodeKinds.Model => "◎",
        NodeKinds.Evaluation => "✓",
        _ => "•",
    };

    /// <summary>The colour of a node kind.</summary>
    public static string KindColor(string kind) => kind switch
    {
        NodeKinds.Project => "#3b6fb6",
        NodeKinds.Version => "#6c5ce7",
        NodeKinds.Dataset => "#00838f",
        NodeKinds.File => "#7f8c8d",
        NodeKinds.Folder => "#a67c00",
        NodeKinds.Model => "#c2185b",
        NodeKinds.Evaluation => "#2e7d32",
        _ => "#555555",
    };

    /// <summary>The colour of a task status.</summary>
    public static string StatusColor(string status) => status switch
    {
        TaskStates.Queued => "#8a94a6",
        TaskStates.Running => "#2f80ed",
        TaskStates.Succeeded => "#27ae60",
        TaskStates.Failed => "#d64545",
        TaskStates.Cancelled => "#e08a2c",
        _ => "#555555",
    };
}
