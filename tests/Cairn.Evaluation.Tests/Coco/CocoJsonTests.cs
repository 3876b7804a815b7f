using System.Globalization;
using System.Text;
using Cairn.Core.Formats;
using Cairn.Core.Masks;
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
    public void The_plain_box_reader_gives_the_general_readers_values_bit_for_bit()
    {
        // Numbers of every form the grammar allows, including ones past the exact fast path (more than 19 digits,
        // exponents beyond 10^22, subnormals), spaces and newlines anywhere, keys in any order.
        var rnd = new Random(17);
        string[] forms =
        [
            "0", "-0", "0.5", "-0.0", "1e0", "1E+2", "2.5e-3", "123456789012345678901234", "0.1234567890123456789012",
            "9007199254740993", "9007199254740993.5", "1e22", "1e23", "4.9e-324", "2.2250738585072014e-308",
            "1.7976931348623157e308", "0.000001", "12345.678", "-98.76e-5", "3.141592653589793238462643383279",
        ];
        string Num() => rnd.Next(3) == 0 ? forms[rnd.Next(forms.Length)] : (rnd.NextDouble() * Math.Pow(10, rnd.Next(-8, 9)) * (rnd.Next(4) == 0 ? -1 : 1)).ToString(rnd.Next(2) == 0 ? "R" : "F" + rnd.Next(0, 7), System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder(" [\n");
        for (var i = 0; i < 3000; i++)
        {
            var members = new List<string>
            {
                $"\"image_id\" : {rnd.Next(-5, 100000)}",
                $"\"category_id\":{rnd.NextInt64(0, 1L << 50)}",
                $"\"score\": {Num()}",
                $"\"bbox\": [ {Num()},{Num()} ,\n{Num()}, {Num()} ]",
            };
            var order = members.OrderBy(_ => rnd.Next()).ToList();
            sb.Append(i == 0 ? string.Empty : ",\n  ").Append("{ ").Append(string.Join(" , ", order)).Append('}');
        }

        var bytes = Encoding.UTF8.GetBytes(sb.Append("\n]\n").ToString());
        var general = CocoJson.ReadDetections(bytes, "dt.json");
        foreach (var pieces in new[] { 1, 3, 8 })
        {
            var plain = PlainResultsReader.TryRead(bytes, pieces);
            Assert.NotNull(plain);
            Assert.Equal(general.Count, plain.Length);
            for (var i = 0; i < general.Count; i++)
            {
                var (g, f) = (general[i], plain[i]);
                Assert.Equal((g.ImageId, g.CategoryId), (f.ImageId, f.CategoryId));
                Assert.Equal(BitConverter.DoubleToInt64Bits(g.Score), BitConverter.DoubleToInt64Bits(f.Score));
                var (gb, fb) = (g.Box!.Value, f.Box!.Value);
                Assert.Equal(
                    new[] { gb.X, gb.Y, gb.Width, gb.Height }.Select(BitConverter.DoubleToInt64Bits),
                    new[] { fb.X, fb.Y, fb.Width, fb.Height }.Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    [Theory]
    [InlineData("coco-val2014-100/instances_val2014_fakesegm100_results.json")]
    [InlineData("coco-val2014-100/instances_val2014_fakebbox100_results.json")]
    public void A_mapped_results_file_reads_as_the_same_file_read_into_memory(string file)
    {
        // Parse maps large files; mapping this one too (from 0 bytes) must change nothing, also once the parse is
        // over and only the masks' slices refer to the mapping.
        var path = SharedData.Resolve(file);
        var read = CocoResults.Parse(path, mapFrom: long.MaxValue);
        var mapped = CocoResults.Parse(path, mapFrom: 0);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(read.Count, mapped.Count);
        var masks = 0;
        for (var i = 0; i < read.Count; i++)
        {
            Assert.Equal((read[i].ImageId, read[i].CategoryId, read[i].Score, read[i].Box), (mapped[i].ImageId, mapped[i].CategoryId, mapped[i].Score, mapped[i].Box));
            Assert.Equal(read[i].Segmentation?.IsCompressed, mapped[i].Segmentation?.IsCompressed);
            Assert.Equal(read[i].Segmentation?.Mask, mapped[i].Segmentation?.Mask);
            masks += mapped[i].Segmentation is null ? 0 : 1;
        }

        Assert.Equal(file.Contains("segm", StringComparison.Ordinal), masks > 0);
    }

    [Theory]
    [InlineData("coco-val2014-100/instances_val2014_fakesegm100_results.json")]
    [InlineData("coco-val2014-100/instances_val2014_fakebbox100_results.json")]
    public void Published_results_files_are_plain_and_read_as_the_general_reader_reads_them(string file)
    {
        var bytes = File.ReadAllBytes(SharedData.Resolve(file));
        var general = CocoJson.ReadDetections(bytes, file);
        var plain = PlainResultsReader.TryRead(bytes, 3);
        Assert.NotNull(plain);
        Assert.Equal(general.Count, plain.Length);
        for (var i = 0; i < general.Count; i++)
        {
            Assert.Equal((general[i].ImageId, general[i].CategoryId, general[i].Score, general[i].Box), (plain[i].ImageId, plain[i].CategoryId, plain[i].Score, plain[i].Box));
            Assert.Equal(general[i].Segmentation?.IsCompressed, plain[i].Segmentation?.IsCompressed);
            Assert.Equal(general[i].Segmentation?.Mask, plain[i].Segmentation?.Mask);
        }
    }

    [Fact]
    public void Escaped_mask_counts_are_unescaped_as_the_general_reader_does()
    {
        // System.Text.Json writes '\\' and '`' of an RLE string as \\\\ and \u0060; both decode to the same mask.
        var json = """[{"image_id": 1, "category_id": 2, "segmentation": {"size": [565, 466], "counts": "U\\a6P4\u0060==JNiR^1"}, "score": 0.25}, {"segmentation": {"counts": "U\\a6P4`==JNiR^1", "size": [565, 466]}, "score": 0.5, "image_id": 1, "category_id": 2}]""";
        var bytes = Encoding.UTF8.GetBytes(json);
        var general = CocoJson.ReadDetections(bytes, "dt.json");
        var plain = PlainResultsReader.TryRead(bytes, 1);
        Assert.NotNull(plain);
        Assert.Equal(2, plain.Length);
        for (var i = 0; i < 2; i++)
        {
            var (g, f) = (general[i].Segmentation!.Value, plain[i].Segmentation!.Value);
            Assert.True(f.IsCompressed);
            Assert.Equal(g.Mask, f.Mask);
        }

        Assert.Equal(plain[0].Segmentation!.Value.Mask, plain[1].Segmentation!.Value.Mask);
    }

    [Theory]
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3, 4], "id": 3}]""")] // another key
    [InlineData("""[{"image_id": 1.0, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3, 4]}]""")] // an integral double id
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3]}]""")] // three numbers
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 1e400, "bbox": [1, 2, 3, 4]}]""")] // not finite
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3, 4]},]""")] // a trailing comma
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3, 4]}] // done""")] // a comment
    [InlineData("""[{"image_\u0069d": 1, "category_id": 1, "score": 0.5, "bbox": [1, 2, 3, 4]}]""")] // an escape
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 01, "bbox": [1, 2, 3, 4]}]""")] // not JSON
    [InlineData("""[{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}]""")] // no score
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "segmentation": [[0, 0, 4, 0, 4, 4]]}]""")] // polygons
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "segmentation": {"size": [4, 4], "counts": [16]}}]""")] // counts as numbers
    [InlineData("""[{"image_id": 1, "category_id": 1, "score": 0.5, "segmentation": {"size": [4, 4], "counts": "0\n4"}}]""")] // a \n escape
    [InlineData("\uFEFF[]")] // a byte order mark
    public void Anything_but_plain_box_results_goes_to_the_general_reader(string json) =>
        Assert.Null(PlainResultsReader.TryRead(Encoding.UTF8.GetBytes(json), 1));

    [Fact]
    public void An_empty_results_array_is_plain()
    {
        var read = PlainResultsReader.TryRead(" [ ] "u8.ToArray(), 1);
        Assert.NotNull(read);
        Assert.Empty(read);
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
    public void Boxes_evaluate_the_same_from_a_ground_truth_read_without_its_segmentations()
    {
        var gt = SharedData.Resolve("coco-val2014-100/instances_val2014_100.json");
        var dt = SharedData.Resolve("coco-val2014-100/instances_val2014_fakebbox100_results.json");
        var full = CocoResults.LoadPair(gt, dt);
        var boxes = CocoResults.LoadPair(gt, dt, IouType.Bbox);

        Assert.False(full.GroundTruth.SegmentationsSkipped);
        Assert.True(boxes.GroundTruth.SegmentationsSkipped);
        Assert.Contains(full.GroundTruth.Annotations, a => a.Segmentation is not null);
        Assert.All(boxes.GroundTruth.Annotations, a => Assert.Null(a.Segmentation));
        Assert.Equal(full.GroundTruth.Fingerprint, boxes.GroundTruth.Fingerprint);
        Assert.Equal(CocoEvaluator.Evaluate(full, IouType.Bbox).Stats, CocoEvaluator.Evaluate(boxes, IouType.Bbox).Stats);
        var e = Assert.Throws<InvalidOperationException>(() => CocoEvaluator.Evaluate(boxes, IouType.Segm));
        Assert.Contains("without its segmentations", e.Message);
    }

    [Fact]
    public void A_segmentation_passed_over_is_still_checked_as_json()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "gt.json");
        File.WriteAllText(path, "{\"images\": [{\"id\": 1, \"width\": 4, \"height\": 4}], \"categories\": [{\"id\": 1, \"name\": \"a\"}],\n\"annotations\": [{\"id\": 7, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"area\": 1,\n \"segmentation\": [[0, 0 1, 0, 1, 1]]}]}");
        var e = Assert.Throws<DatasetFormatException>(() => CocoDataset.Load(path, withSegmentations: false));
        Assert.StartsWith("line 3,", e.Location, StringComparison.Ordinal);
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
        Assert.Equal(new uint[] { 4, 12 }, results.Detections[0].Segmentation!.Value.Mask!.Counts);
        var e = Assert.Throws<DatasetFormatException>(() => CocoEvaluator.Evaluate(results, IouType.Segm));
        Assert.Equal("$[1].segmentation.counts", e.Location);
        Assert.Contains("invalid character '!'", e.Problem);
    }

    [Fact]
    public void Escaped_masks_past_one_buffer_chunk_read_as_the_general_reader_reads_them()
    {
        // The plain reader unescapes into shared 1 MiB chunks: 6,000 escaped masks of ~200 characters fill several.
        var random = new Random(17);
        var sb = new StringBuilder("[");
        var expected = new List<uint[]>();
        for (var i = 0; i < 6000; i++)
        {
            var w = 400 + random.Next(200);
            var rle = RleOps.FromPolygon([.. Enumerable.Range(0, 24).Select(k => (double)random.Next(k % 2 == 0 ? w : 400))], 400, w);
            var counts = rle.ToCompressedString();
            expected.Add(rle.Counts);
            // Every string gets an escape: its first character as \u00XX, and any '\\' of the RLE alphabet as '\\\\'.
            var escaped = $"\\u{(int)counts[0]:x4}" + counts[1..].Replace("\\", "\\\\", StringComparison.Ordinal);
            sb.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{{\"image_id\": 1, \"category_id\": 1, \"score\": 0.5, \"segmentation\": {{\"size\": [400, {w}], \"counts\": \"{escaped}\"}}}}");
        }

        var bytes = Encoding.UTF8.GetBytes(sb.Append(']').ToString());
        var general = CocoJson.ReadDetections(bytes, "dt.json");
        var plain = PlainResultsReader.TryRead(bytes, 2);
        Assert.NotNull(plain);
        Assert.Equal(6000, plain.Length);
        Assert.True(bytes.Length > 3 << 20, $"{bytes.Length} bytes");
        for (var i = 0; i < plain.Length; i++)
        {
            Assert.True(plain[i].Segmentation!.Value.TryGetCompressed(out var text, out _, out _));
            Assert.True(general[i].Segmentation!.Value.TryGetCompressed(out var generalText, out _, out _));
            Assert.True(text.SequenceEqual(generalText), $"result {i}");
            Assert.Equal(expected[i], plain[i].Segmentation!.Value.Mask!.Counts);
        }
    }

    [Fact]
    public void A_compressed_mask_of_the_wrong_size_is_named_by_path_when_the_evaluation_decodes_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["gt.json"], """{"images": [{"id": 1, "width": 4, "height": 4}], "categories": [{"id": 1, "name": "a"}], "annotations": [{"id": 7, "image_id": 1, "category_id": 1, "bbox": [0, 0, 2, 2], "area": 4, "segmentation": [[0, 0, 2, 0, 2, 2, 0, 2]]}]}""");
        File.WriteAllText(dir["dt.json"], """[{"image_id": 1, "category_id": 1, "score": 0.9, "segmentation": {"size": [4, 4], "counts": "4<"}}, {"image_id": 1, "category_id": 1, "score": 0.8, "segmentation": {"size": [4, 4], "counts": "4="}}]""");
        var results = CocoResults.Load(dir["dt.json"], CocoDataset.Load(dir["gt.json"]));
        var e = Assert.Throws<DatasetFormatException>(() => CocoEvaluator.Evaluate(results, IouType.Segm));
        Assert.Equal("$[1].segmentation.counts", e.Location);
        Assert.StartsWith("malformed RLE: RLE counts sum to 17", e.Problem);
    }
}
