using System.Text;
using Cairn.Core.Formats;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Coco.Internal;
using Cairn.TestSupport;

namespace Cairn.Evaluation.Tests.Coco;

public sealed class CocoJsonTests
{
    [Theory]
    [InlineData("coco-val2014-100/instances_val2014_fakebbox100_results.json")]
    [InlineData("coco-val2014-100/instances_val2014_fakesegm100_results.json")]
    [InlineData("coco-synthetic-small/dt_segm.json")]
    public void Parallel_read_equals_sequential_read(string file)
    {
        var bytes = File.ReadAllBytes(SharedData.Resolve(file));
        var one = CocoJson.ReadDetections(bytes, file);
        var many = CocoJson.ReadDetectionsParallel(bytes, file, minBytes: 0, pieces: 7);
        Assert.Equal(one.Count, many.Length);
        for (var i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].ImageId, many[i].ImageId);
            Assert.Equal(one[i].Score, many[i].Score);
            Assert.Equal(one[i].Box, many[i].Box);
            Assert.Equal(one[i].Segmentation?.Mask, many[i].Segmentation?.Mask);
        }
    }

    [Fact]
    public void A_cut_inside_a_string_falls_back_to_the_sequential_reader()
    {
        // Each result carries a note that looks like an element boundary; cuts land there and fail, so the
        // one-thread reader takes over and still reads everything.
        var sb = new StringBuilder("[");
        for (var i = 0; i < 400; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append("{\"image_id\": 1, \"note\": \"}, {\\\"x\\\": 1}, {\", \"category_id\": 1, \"score\": 0.5, \"bbox\": [1, 2, 3, 4]}");
        }

        var bytes = Encoding.UTF8.GetBytes(sb.Append(']').ToString());
        var many = CocoJson.ReadDetectionsParallel(bytes, "notes.json", minBytes: 0, pieces: 5);
        Assert.Equal(400, many.Length);
        Assert.All(many, d => Assert.Equal(new CocoBox(1, 2, 3, 4), d.Box));
    }

    [Fact]
    public void Errors_from_a_parallel_read_carry_the_global_index()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < 300; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append(i == 250 ? "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4]}" : "{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"bbox\": [1, 2, 3, 4]}");
        }

        var bytes = Encoding.UTF8.GetBytes(sb.Append(']').ToString());
        var e = Assert.Throws<DatasetFormatException>(() => CocoJson.ReadDetectionsParallel(bytes, "dt.json", minBytes: 0, pieces: 4));
        Assert.Equal("$[250]", e.Location);
        Assert.Contains("score", e.Problem);
    }

    [Fact]
    public void Malformed_json_names_the_line()
    {
        using var dir = new TempDir();
        var path = dir["dt.json"];
        File.WriteAllText(path, "[\n{\"image_id\": 1,\n \"score\": }\n]");
        var e = Assert.Throws<DatasetFormatException>(() => CocoResults.Parse(path));
        Assert.Equal("line 3", e.Location);
    }

    [Fact]
    public void Ground_truth_without_an_area_names_the_annotation()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "gt.json");
        File.WriteAllText(path, """{"images": [{"id": 1, "width": 4, "height": 4}], "categories": [{"id": 1, "name": "a"}], "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}]}""");
        var e = Assert.Throws<DatasetFormatException>(() => CocoDataset.Load(path));
        Assert.Equal("$.annotations[0]", e.Location);
        Assert.Contains("\"area\"", e.Problem);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named_by_path_line_and_byte()
    {
        // The evaluation reads results with the importer's reader, so its errors carry the importer's detail.
        var bytes = Encoding.UTF8.GetBytes("[\n{\"image_id\": 1, \"category_id\": 1, \"score\": \"high\", \"bbox\": [1, 2, 3, 4]}\n]");
        var e = Assert.Throws<DatasetFormatException>(() => CocoJson.ReadDetections(bytes, "dt.json"));
        Assert.Equal("$[0].score, line 2, byte 44", e.Location);
        Assert.Contains("expected a finite number", e.Problem);
    }

    [Fact]
    public void A_malformed_compressed_mask_is_named_by_path_when_the_evaluation_decodes_it()
    {
        // Compressed RLE results stay undecoded while the file is read; the worker that decodes one reports it as
        // bad input with its JSON path (not wrapped in an AggregateException from the parallel evaluation).
        using var dir = new TempDir();
        File.WriteAllText(dir["gt.json"], """{"images": [{"id": 1, "width": 4, "height": 4}], "categories": [{"id": 1, "name": "a"}], "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "bbox": [0, 0, 2, 2], "area": 4, "segmentation": [[0, 0, 2, 0, 2, 2, 0, 2]]}]}""");
        File.WriteAllText(dir["dt.json"], """[{"image_id": 1, "category_id": 1, "score": 0.9, "segmentation": {"size": [4, 4], "counts": "4<"}}, {"image_id": 1, "category_id": 1, "score": 0.8, "segmentation": {"size": [4, 4], "counts": "0!"}}]""");
        var results = CocoResults.Load(dir["dt.json"], CocoDataset.Load(dir["gt.json"]));
        Assert.Equal(new uint[] { 4, 12 }, results.Detections[0].Segmentation!.Mask!.Counts);
        var e = Assert.Throws<DatasetFormatException>(() => CocoEvaluator.Evaluate(results, IouType.Segm));
        Assert.Equal("$[1].segmentation.counts", e.Location);
        Assert.Contains("invalid character '!'", e.Problem);
    }
}
