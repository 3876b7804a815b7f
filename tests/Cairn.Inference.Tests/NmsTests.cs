using Cairn.Inference.Internal;

namespace Cairn.Inference.Tests;

public sealed class NmsTests
{
    [Fact]
    public void Overlap_above_threshold_drops_the_lower_score_of_the_same_class()
    {
        // A = (0,0,10,10); B = (1,0,11,10): inter 90, union 110, IoU 0.818 > 0.7 → dropped.
        // C = (5,0,15,10): IoU with A = 50 / 150 = 0.333 → kept. Expected order: by score.
        Candidate[] c =
        [
            new(1, 0, 11, 10, 0.8f, 0),
            new(0, 0, 10, 10, 0.9f, 0),
            new(5, 0, 15, 10, 0.7f, 0),
        ];
        var kept = Run(c, iou: 0.7f, maxDet: 300);
        Assert.Equal([0.9f, 0.7f], kept.Select(k => k.Score));
    }

    [Fact]
    public void Iou_equal_to_the_threshold_is_kept_as_torchvision_keeps_it()
    {
        // A = (0,0,10,10), B = (0,0,10,5): inter 50, union 100, IoU exactly 0.5; torchvision drops only IoU > threshold.
        Candidate[] c = [new(0, 0, 10, 10, 0.9f, 0), new(0, 0, 10, 5, 0.8f, 0)];
        Assert.Equal(2, Run(c, iou: 0.5f, maxDet: 300).Length);
        Assert.Single(Run(c, iou: 0.49f, maxDet: 300));
    }

    [Fact]
    public void Equal_scores_keep_the_order_in_which_candidates_were_found()
    {
        // Two identical boxes with one score: the first found survives (a stable sort, as Ultralytics' candidate order gives).
        Candidate[] c = [new(0, 0, 10, 10, 0.5f, 0), new(0, 0, 10, 10, 0.5f, 0), new(20, 0, 30, 10, 0.5f, 0)];
        var keep = new int[300];
        var n = new Nms().Run(c, 1, 0.7f, 300, 30000, keep);
        Assert.Equal([0, 2], keep.Take(n));
    }

    [Fact]
    public void Boxes_of_different_classes_never_suppress_each_other()
    {
        Candidate[] c = [new(0, 0, 10, 10, 0.9f, 0), new(0, 0, 10, 10, 0.8f, 1), new(0, 0, 10, 10, 0.7f, 1)];
        var kept = Run(c, iou: 0.7f, maxDet: 300);
        Assert.Equal([(0, 0.9f), (1, 0.8f)], kept.Select(k => (k.Class, k.Score)));
    }

    [Fact]
    public void Suppressed_boxes_do_not_suppress_others()
    {
        // Greedy order matters: B is removed by A, so B cannot remove C even though B and C overlap (IoU 0.818).
        // A = (0,0,10,10) 0.9; B = (3,0,13,10) 0.8 (IoU with A 70/130 = 0.538… at threshold 0.5 → dropped);
        // C = (4,0,14,10) 0.7: IoU with A = 60/140 = 0.43 → kept.
        Candidate[] c = [new(0, 0, 10, 10, 0.9f, 0), new(3, 0, 13, 10, 0.8f, 0), new(4, 0, 14, 10, 0.7f, 0)];
        Assert.Equal([0.9f, 0.7f], Run(c, iou: 0.5f, maxDet: 300).Select(k => k.Score));
    }

    [Fact]
    public void At_most_max_detections_are_kept_highest_scores_first()
    {
        var c = Enumerable.Range(0, 10).Select(i => new Candidate(i * 20, 0, (i * 20) + 10, 10, i / 10f, 0)).ToArray();
        var kept = Run(c, iou: 0.7f, maxDet: 3);
        Assert.Equal([0.9f, 0.8f, 0.7f], kept.Select(k => k.Score));
    }

    [Fact]
    public void Multi_label_cells_give_one_candidate_per_class_above_the_threshold()
    {
        // A [1, 4+2, 2] YOLOv8 tensor: cell 0 centred (50, 50) 20×20 scores (0.6, 0.3); cell 1 scores (0.0005, 0.0002) → below 0.001.
        float[] output =
        [
            50, 80, // cx
            50, 80, // cy
            20, 20, // w
            20, 20, // h
            0.6f, 0.0005f, // class 0
            0.3f, 0.0002f, // class 1
        ];
        var t = LetterboxTransform.Compute(100, 100, 100, 100);
        var multi = new Postprocessor(OutputLayout.YoloChannelsFirst, 2, DetectionOptions.Validation).Decode(output, 0, 6, 2, in t, "img");
        Assert.Equal([(0, 0.6f), (1, 0.3f)], multi.Detections.Select(d => (d.ClassIndex, d.Score)));
        Assert.Equal(new Cairn.Core.Model.BoxD(40, 40, 60, 60), multi.Detections[0].Box);

        var single = new Postprocessor(OutputLayout.YoloChannelsFirst, 2, DetectionOptions.Prediction with { ConfidenceThreshold = 0.001f })
            .Decode(output, 0, 6, 2, in t, "img");
        Assert.Equal([(0, 0.6f)], single.Detections.Select(d => (d.ClassIndex, d.Score)));
    }

    [Fact]
    public void Yolov5_scores_are_objectness_times_class_score()
    {
        // One anchor [cx, cy, w, h, obj, c0, c1] = [10, 10, 4, 4, 0.5, 0.8, 0.1]: scores 0.4 and 0.05.
        float[] output = [10, 10, 4, 4, 0.5f, 0.8f, 0.1f];
        var t = LetterboxTransform.Compute(32, 32, 32, 32);
        var r = new Postprocessor(OutputLayout.YoloObjectness, 2, DetectionOptions.Validation).Decode(output, 0, 1, 7, in t, "img");
        Assert.Equal([(0, 0.4f), (1, 0.05f)], r.Detections.Select(d => (d.ClassIndex, d.Score)));
    }

    [Fact]
    public void End_to_end_rows_are_filtered_by_confidence_without_nms()
    {
        // Two identical boxes of class 1 survive (no NMS in an end-to-end model's postprocessing); 0.0001 is below 0.001.
        float[] output = [0, 0, 10, 10, 0.9f, 1, 0, 0, 10, 10, 0.8f, 1, 5, 5, 8, 8, 0.0001f, 0];
        var t = LetterboxTransform.Compute(20, 20, 20, 20);
        var r = new Postprocessor(OutputLayout.EndToEnd, 2, DetectionOptions.Validation).Decode(output, 0, 3, 6, in t, "img");
        Assert.Equal([0.9f, 0.8f], r.Detections.Select(d => d.Score));
    }

    [Fact]
    public void Detections_convert_to_rectangle_labels_with_confidence()
    {
        var d = new ImageDetections("a.png", 100, 50, [new Detection(1, 0.75f, new Cairn.Core.Model.BoxD(1, 2, 3, 4))]);
        var label = Assert.Single(d.ToLabels(["circle", "square"]));
        Assert.Equal("square", label.ClassName);
        Assert.Equal(0.75, label.Confidence!.Value, 6);
        Assert.Equal(new Cairn.Core.Model.RectangleGeometry(new Cairn.Core.Model.BoxD(1, 2, 3, 4)), label.Geometry);
        Assert.Throws<ArgumentException>(() => d.ToLabels(["circle"]));
    }

    private static Candidate[] Run(Candidate[] candidates, float iou, int maxDet)
    {
        var keep = new int[maxDet];
        var n = new Nms().Run(candidates, 2, iou, maxDet, 30000, keep);
        return keep.Take(n).Select(i => candidates[i]).ToArray();
    }
}
