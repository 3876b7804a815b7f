using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cairn.Core.Formats;
using SkiaSharp;

// Times the dataset readers alone on the import benchmark's shape: 5,000 images, 20,000 boxes.
// Usage: dotnet run -c Release --project bench/Cairn.Formats.Bench -- [images=5000] [boxes=20000] [runs=5]
var images = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var boxes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20000;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var root = Path.Combine(Path.GetTempPath(), "cairn-formats-bench-" + Guid.NewGuid().ToString("N"));
try
{
    Generate(root, images, boxes);
    var bytes = Directory.EnumerateFiles(Path.Combine(root, "images", "train")).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"{images} images ({bytes / 1e6:F1} MB of PNG), {boxes} boxes, {runs} runs, {Environment.ProcessorCount} cores");
    var jsonPath = Path.Combine(root, "annotations", "instances_train.json");
    Time("json parse only (JsonDocument, reference)", runs, () =>
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        return doc.RootElement.GetProperty("images").GetArrayLength();
    });
    Time("utf8 reader token pass + numbers (reference)", runs, () =>
    {
        var bytes = File.ReadAllBytes(jsonPath);
        var r = new System.Text.Json.Utf8JsonReader(bytes);
        var n = 0;
        double sum = 0;
        while (r.Read())
        {
            if (r.TokenType == System.Text.Json.JsonTokenType.Number)
            {
                sum += r.GetDouble();
            }

            n++;
        }

        return n + (int)sum;
    });
    Time("file exists x images (reference)", runs, () => Directory.EnumerateFiles(Path.Combine(root, "images", "train")).Count(File.Exists));
    Time("coco read", runs, () => DatasetFormats.Get("coco").Read(root, ImportOptions.Default, default).Items.Count);
    Time("yolo read (image headers)", runs, () => DatasetFormats.Get("yolo").Read(root, ImportOptions.Default, default).Items.Count);
    var coco = DatasetFormats.Get("coco").Read(root, ImportOptions.Default, default);
    var export = coco.Items.Select(i => new ExportItem(i.Dataset, i.Name, () => File.OpenRead(i.ImagePath), i.Annotation)).ToList();
    var outDir = Path.Combine(root, "out");
    Time("coco write (labels only)", runs, () => DatasetFormats.Get("coco").Write(coco.Meta, export, outDir, new ExportOptions(IncludeImages: false), default).Labels);
    var block = new byte[350_000_000];
    new Random(1).NextBytes(block);
    Time("sha256 of 350 MB in memory (reference)", runs, () => SHA256.HashData(block)[0]);
    Time("blake3 (store's hash) of 350 MB in memory (reference)", runs, () =>
    {
        using var h = new Cairn.Core.Ids.ContentHasher();
        h.Update(block);
        return h.Finish().ToString().Length;
    });
    Time("sha256 of the same image bytes (reference)", runs, () =>
    {
        var n = 0;
        foreach (var f in Directory.EnumerateFiles(Path.Combine(root, "images", "train")))
        {
            n += SHA256.HashData(File.ReadAllBytes(f))[0];
        }

        return n;
    });
}
finally
{
    Directory.Delete(root, recursive: true);
}

static void Time(string what, int runs, Func<int> action)
{
    action(); // warm-up: JIT and file cache
    var ms = new List<double>();
    var cpu = new List<double>();
    var process = Process.GetCurrentProcess();
    for (var i = 0; i < runs; i++)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        ms.Add(sw.Elapsed.TotalMilliseconds);
        process.Refresh();
        cpu.Add((process.TotalProcessorTime - cpu0).TotalMilliseconds);
    }

    ms.Sort();
    cpu.Sort();
    Console.WriteLine($"{what,-45} median {ms[ms.Count / 2],8:F1} ms wall (min {ms[0]:F1}, max {ms[^1]:F1}), {cpu[cpu.Count / 2],8:F1} ms CPU");
}

// One image folder shared by a COCO file (annotations/instances_train.json) and a YOLO layout (labels/train, data.yaml).
static void Generate(string root, int images, int boxes)
{
    var imgDir = Path.Combine(root, "images", "train");
    var lblDir = Path.Combine(root, "labels", "train");
    Directory.CreateDirectory(imgDir);
    Directory.CreateDirectory(lblDir);
    Directory.CreateDirectory(Path.Combine(root, "annotations"));
    using (var bitmap = new SKBitmap(64, 48))
    {
        for (var i = 0; i < images; i++)
        {
            bitmap.Erase(new SKColor((byte)i, (byte)(i >> 8), 7));
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(imgDir, $"{i:D6}.png"), data.ToArray());
        }
    }

    var rng = new Random(42);
    var json = new StringBuilder("{\"images\":[");
    for (var i = 0; i < images; i++)
    {
        json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"id\":{i + 1},\"file_name\":\"{i:D6}.png\",\"width\":64,\"height\":48}}");
    }

    json.Append("],\"annotations\":[");
    var yolo = new StringBuilder[images];
    for (var i = 0; i < images; i++)
    {
        yolo[i] = new StringBuilder();
    }

    for (var a = 0; a < boxes; a++)
    {
        var img = a % images;
        double x = rng.Next(0, 40), y = rng.Next(0, 30), w = rng.Next(1, 24), h = rng.Next(1, 18);
        var cls = rng.Next(0, 10);
        json.Append(CultureInfo.InvariantCulture, $"{(a > 0 ? "," : "")}{{\"id\":{a + 1},\"image_id\":{img + 1},\"category_id\":{cls + 1},\"bbox\":[{x},{y},{w},{h}],\"area\":{w * h},\"iscrowd\":0,\"segmentation\":[]}}");
        yolo[img].Append(CultureInfo.InvariantCulture, $"{cls} {(x + (w / 2)) / 64} {(y + (h / 2)) / 48} {w / 64} {h / 48}\n");
    }

    json.Append("],\"categories\":[");
    json.Append(string.Join(",", Enumerable.Range(1, 10).Select(c => $"{{\"id\":{c},\"name\":\"c{c}\"}}")));
    json.Append("]}");
    File.WriteAllText(Path.Combine(root, "annotations", "instances_train.json"), json.ToString());
    for (var i = 0; i < images; i++)
    {
        File.WriteAllText(Path.Combine(lblDir, $"{i:D6}.txt"), yolo[i].ToString());
    }

    File.WriteAllText(Path.Combine(root, "data.yaml"), "train: images/train\nval: images/train\nnames: [" + string.Join(", ", Enumerable.Range(1, 10).Select(c => $"c{c}")) + "]\n");
}
