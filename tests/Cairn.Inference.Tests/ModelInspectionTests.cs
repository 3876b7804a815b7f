using System.Text.Json;
using Cairn.Inference.Internal;
using Cairn.TestSupport;

namespace Cairn.Inference.Tests;

public sealed class ModelInspectionTests
{
    private static readonly string ShapesModel = SharedData.Resolve("models/shapes-det.onnx");

    [Fact]
    public void Shapes_model_is_read_as_yolov8_layout_with_three_classes()
    {
        // Expected values: shared/data/models/README.md ("Input images: float32 [B, 3, 256, 256] … Output output0: [B, 7, 1024]").
        using var detector = OnnxDetector.Load(ShapesModel);
        var info = detector.Info;
        Assert.Equal("images", info.InputName);
        Assert.Equal((256, 256, 3), (info.InputWidth, info.InputHeight, info.Channels));
        Assert.Null(info.FixedBatchSize);
        Assert.Equal(OutputLayout.YoloChannelsFirst, info.Layout);
        Assert.Equal(3, info.ClassCount);
        var output = Assert.Single(info.Outputs);
        Assert.Equal("output0", output.Name);
        Assert.Equal([-1L, 7, 1024], output.Shape);
        Assert.Equal("CPU", detector.Device);
    }

    [Fact]
    public void Model_info_round_trips_through_json_and_names_the_layout()
    {
        using var detector = OnnxDetector.Load(ShapesModel, new DetectorOptions { ClassNames = ["circle", "square", "triangle"] });
        var json = JsonSerializer.Serialize(detector.Info);
        Assert.Contains("\"Layout\":\"YoloChannelsFirst\"", json, StringComparison.Ordinal);
        Assert.Contains("\"FormatVersion\":1", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<ModelInfo>(json);
        Assert.Equal(detector.Info, back);
        Assert.Equal(["circle", "square", "triangle"], back!.ClassNames);
    }

    [Fact]
    public void Model_info_json_is_pinned()
    {
        // Golden: the catalog stores this JSON; a change here needs a new FormatVersion.
        using var detector = OnnxDetector.Load(ShapesModel);
        const string expected =
            "{\"InputName\":\"images\",\"InputWidth\":256,\"InputHeight\":256,\"Channels\":3,\"FixedBatchSize\":null," +
            "\"Layout\":\"YoloChannelsFirst\",\"ClassCount\":3,\"ClassNames\":[]," +
            "\"Inputs\":[{\"Name\":\"images\",\"ElementType\":\"Float\",\"Shape\":[-1,3,256,256]}]," +
            "\"Outputs\":[{\"Name\":\"output0\",\"ElementType\":\"Float\",\"Shape\":[-1,7,1024]}],\"FormatVersion\":1}";
        Assert.Equal(expected, JsonSerializer.Serialize(detector.Info));
    }

    [Fact]
    public void Class_names_that_contradict_the_shape_are_refused_with_what_was_found()
    {
        var e = Assert.Throws<ModelFormatException>(() =>
            OnnxDetector.Load(ShapesModel, new DetectorOptions { ClassNames = ["a", "b", "c", "d"] }));
        Assert.Contains("shapes-det.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("output0[-1, 7, 1024]", e.Message, StringComparison.Ordinal);
        Assert.Contains("4 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_layout_the_shape_cannot_have_is_refused()
    {
        var e = Assert.Throws<ModelFormatException>(() =>
            OnnxDetector.Load(ShapesModel, new DetectorOptions { Layout = OutputLayout.EndToEnd }));
        Assert.Contains("EndToEnd", e.Message, StringComparison.Ordinal);
        Assert.Contains("output0[-1, 7, 1024]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(84, 8400, null, OutputLayout.YoloChannelsFirst, 80)] // yolov8n.onnx: output0 [1, 84, 8400]
    [InlineData(25200, 85, null, OutputLayout.YoloObjectness, 80)] // yolov5s.onnx: output0 [1, 25200, 85]
    [InlineData(8400, 84, 80, OutputLayout.YoloChannelsLast, 80)] // transposed v8: only class names tell it from v5 with 79 classes
    [InlineData(25200, 85, 80, OutputLayout.YoloObjectness, 80)]
    [InlineData(300, 6, 80, OutputLayout.EndToEnd, 80)] // yolov10n.onnx: output0 [1, 300, 6]
    [InlineData(300, 6, 3, OutputLayout.EndToEnd, 3)]
    public void Layout_follows_from_the_output_shape(long d1, long d2, int? classes, OutputLayout expected, int expectedClasses)
    {
        var match = LayoutDetector.Detect("m.onnx", [new TensorInfo("output0", "Float", [1, d1, d2])], classes, null, endToEndHint: false);
        Assert.Equal(expected, match.Layout);
        Assert.Equal(expectedClasses, match.ClassCount);
    }

    [Fact]
    public void Two_class_end_to_end_shape_is_ambiguous_without_a_hint_and_resolved_with_one()
    {
        // [1, 300, 6] with 2 classes is both a transposed v8 head (4 + 2) and an end-to-end output.
        TensorInfo[] outputs = [new("output0", "Float", [1, 300, 6])];
        var e = Assert.Throws<ModelFormatException>(() => LayoutDetector.Detect("m.onnx", outputs, 2, null, endToEndHint: false));
        Assert.Contains("ambiguous", e.Message, StringComparison.Ordinal);
        Assert.Contains("output0[1, 300, 6]", e.Message, StringComparison.Ordinal);
        Assert.Equal(OutputLayout.EndToEnd, LayoutDetector.Detect("m.onnx", outputs, 2, null, endToEndHint: true).Layout);
        Assert.Equal(OutputLayout.YoloChannelsLast, LayoutDetector.Detect("m.onnx", outputs, 2, OutputLayout.YoloChannelsLast, false).Layout);
    }

    [Fact]
    public void Named_boxes_scores_labels_outputs_are_found_by_name()
    {
        TensorInfo[] outputs = [new("scores", "Float", [1, 100]), new("labels", "Int64", [1, 100]), new("boxes", "Float", [1, 100, 4])];
        var match = LayoutDetector.Detect("m.onnx", outputs, 5, null, endToEndHint: false);
        Assert.Equal(new LayoutMatch(OutputLayout.BoxesScoresLabels, 5, Output: 2, ScoresOutput: 0, LabelsOutput: 1), match);
    }

    [Fact]
    public void Outputs_that_fit_no_layout_are_reported_with_their_names_and_shapes()
    {
        TensorInfo[] outputs = [new("logits", "Float", [1, 1000]), new("features", "Float", [1, 512])];
        var e = Assert.Throws<ModelFormatException>(() => LayoutDetector.Detect("classifier.onnx", outputs, null, null, false));
        Assert.Contains("classifier.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("logits[1, 1000], features[1, 512]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ultralytics_metadata_names_and_image_size_are_parsed()
    {
        // The form Ultralytics' exporter writes: str(dict) of class names, str(list) of imgsz.
        var map = new Dictionary<string, string>
        {
            ["names"] = "{0: 'person', 1: \"bicycle\", 2: 'traffic light'}",
            ["imgsz"] = "[480, 640]",
            ["args"] = "{'batch': 1, 'nms': True}",
        };
        Assert.Equal(["person", "bicycle", "traffic light"], ModelMetadata.ClassNames(map));
        Assert.Equal((480, 640), ModelMetadata.ImageSize(map));
        Assert.True(ModelMetadata.EndToEnd(map));
        Assert.False(ModelMetadata.EndToEnd(new Dictionary<string, string> { ["args"] = "{'nms': False}" }));
    }
}
