using Cairn.Core.Model;
using Cairn.TestSupport;

namespace Cairn.Core.Tests.Formats;

public sealed class YoloPoseTests
{
    [Fact]
    public void Pose_lines_become_a_box_and_a_keypoint_graph_named_by_kpt_names()
    {
        using var root = new TempDir();
        root.Write("data.yaml", "train: images/train\nnames: [person]\nkpt_shape: [3, 3]\nkpt_names: {0: [head, left_hand, right_hand]}\n");
        root.Write("images/train/a.png", TestImages.Png(20, 10));
        root.Write("labels/train/a.txt", "0 0.5 0.5 0.4 0.4 0.3 0.3 2 0.7 0.3 1 0 0 0\n0 0.1 0.1 0.1 0.1 0 0 0 0 0 0 0 0 0\n");
        var p = FormatTestKit.Read("yolo", root.Path);

        Assert.Equal(["head", "left_hand", "right_hand"], p.Meta.Classes[0].Keypoints!.Nodes);
        var labels = p.Items[0].Annotation.Labels;

        // Image 20×10: box cx .5 cy .5 w .4 h .4 → (6, 3)-(14, 7); nodes (.3·20, .3·10) v2, (.7·20, .3·10) v1, unlabelled.
        // The second line has no labelled keypoint: a plain box (1.5, 0.5)-(2.5, 1.5).
        Assert.Equal(3, labels.Count);
        Assert.Equal(new BoxD(6, 3, 14, 7), ((RectangleGeometry)labels[0].Geometry).Box);
        Assert.Equal([new Keypoint(6, 3, 2), new Keypoint(14, 3, 1), default], ((KeypointsGeometry)labels[1].Geometry).Nodes);
        Assert.IsType<RectangleGeometry>(labels[2].Geometry);
    }

    [Fact]
    public void Coco_person_keypoints_export_as_a_pose_dataset_with_flip_index()
    {
        var coco = FormatTestKit.Read("coco", SharedData.Resolve("tiny-coco"), "annotations/person_keypoints_val2017.json");
        using var dir = new TempDir();
        var report = FormatTestKit.Write("yolo", coco.Meta, FormatTestKit.ToExport(coco), dir.Path);

        // Ultralytics' coco-pose.yaml: kpt_shape [17, 3], flip_idx [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15].
        var yaml = File.ReadAllText(dir["data.yaml"]);
        Assert.Contains("kpt_shape: [17, 3]", yaml);
        Assert.Contains("flip_idx: [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]", yaml);
        var polygons = coco.Items.SelectMany(i => i.Annotation.Labels).Count(l => l.Geometry is PolygonGeometry);
        Assert.Equal(polygons, report.UnsupportedLabelKinds["polygon"]);

        // Every keypoint graph with a labelled node comes back, without tags; coordinates within 1e-6 px (÷ size × size).
        var back = FormatTestKit.ByKey(FormatTestKit.Read("yolo", dir.Path));
        foreach (var item in coco.Items)
        {
            var expected = item.Annotation.Labels.Select(l => l.Geometry).OfType<KeypointsGeometry>().Where(k => k.Nodes.Any(n => n.Visibility > 0)).ToList();
            var got = back[item.Dataset + "/" + item.Name].Annotation.Labels;
            Assert.All(got, l => Assert.Empty(l.Tags));
            var graphs = got.Select(l => l.Geometry).OfType<KeypointsGeometry>().ToList();
            Assert.Equal(expected.Count, graphs.Count);
            Assert.Equal(expected.Count, got.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                for (var j = 0; j < 17; j++)
                {
                    var (a, b) = (expected[i].Nodes[j], graphs[i].Nodes[j]);
                    Assert.Equal(a.Visibility, b.Visibility);
                    Assert.True(Math.Abs(a.X - b.X) < 1e-6 && Math.Abs(a.Y - b.Y) < 1e-6, $"{item.Name} graph {i} node {j}: {a} vs {b}");
                }
            }
        }
    }
}
