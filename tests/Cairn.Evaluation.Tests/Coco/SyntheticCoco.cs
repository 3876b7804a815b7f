using Cairn.Evaluation.Coco;

namespace Cairn.Evaluation.Tests.Coco;

/// <summary>
/// Seeded random COCO data with the edge cases of ../shared/tools/gen_coco.py (crowds, objects on the 32²/96²
/// area borders, tied scores, duplicates, wrong classes, classes without ground truth, images without ground
/// truth, more than 100 detections for one image and class) in memory.
/// </summary>
internal static class SyntheticCoco
{
    public static (CocoDataset Gt, List<CocoDetection> Dets) Make(int seed, int images, int cats, int detsPerImage)
    {
        var rng = new Random(seed);
        var imgs = new List<CocoImage>();
        var anns = new List<CocoAnnotation>();
        var dets = new List<CocoDetection>();
        var categories = Enumerable.Range(1, cats).Select(c => new CocoCategory(c, $"class_{c}")).ToList();
        long aid = 0; // the first annotation gets id 0: pycocotools treats a match to it as no match
        for (var i = 0; i < images; i++)
        {
            long iid = 7 + (i * 5);
            int w = rng.Next(100, 500), h = rng.Next(100, 500);
            imgs.Add(new CocoImage(iid, w, h));
            var n = rng.NextDouble() < 0.08 ? 0 : rng.Next(0, 12);
            var gts = new List<CocoAnnotation>();
            for (var j = 0; j < n; j++)
            {
                double bw, bh;
                if (rng.NextDouble() < 0.15)
                {
                    bw = bh = rng.NextDouble() < 0.5 ? 32 : 96;
                }
                else
                {
                    bw = Math.Round(4 + (rng.NextDouble() * (w / 2)), 1);
                    bh = Math.Round(4 + (rng.NextDouble() * (h / 2)), 1);
                }

                var x = Math.Round(rng.NextDouble() * (w - bw), 1);
                var y = Math.Round(rng.NextDouble() * (h - bh), 1);
                var cat = rng.Next(1, cats - 1); // the last class never has ground truth
                var a = new CocoAnnotation(aid++, iid, cat, new CocoBox(x, y, bw, bh), bw * bh, rng.NextDouble() < 0.05);
                anns.Add(a);
                gts.Add(a);
            }

            var per = rng.NextDouble() < 0.1 ? detsPerImage * 6 : detsPerImage;
            var hot = rng.Next(1, cats + 1); // a class that gets most of an image's detections, so some exceed 100
            for (var j = 0; j < per; j++)
            {
                CocoBox box;
                long cat;
                if (gts.Count > 0 && rng.NextDouble() < 0.5)
                {
                    var g = gts[rng.Next(gts.Count)];
                    var jit = rng.NextDouble() * 0.3;
                    box = new CocoBox(
                        Math.Round(g.Box.X + ((rng.NextDouble() - 0.5) * jit * g.Box.Width), 2),
                        Math.Round(g.Box.Y + ((rng.NextDouble() - 0.5) * jit * g.Box.Height), 2),
                        Math.Round(g.Box.Width * (1 + ((rng.NextDouble() - 0.5) * jit)), 2),
                        Math.Round(g.Box.Height * (1 + ((rng.NextDouble() - 0.5) * jit)), 2));
                    cat = rng.NextDouble() < 0.85 ? g.CategoryId : rng.Next(1, cats + 1);
                }
                else
                {
                    double bw = 2 + (rng.NextDouble() * w / 2), bh = 2 + (rng.NextDouble() * h / 2);
                    box = new CocoBox(Math.Round(rng.NextDouble() * (w - bw), 2), Math.Round(rng.NextDouble() * (h - bh), 2), Math.Round(bw, 2), Math.Round(bh, 2));
                    cat = per > detsPerImage && rng.NextDouble() < 0.7 ? hot : rng.Next(1, cats + 1);
                }

                var score = Math.Round(rng.NextDouble(), rng.NextDouble() < 0.5 ? 2 : 6);
                dets.Add(new CocoDetection(iid, cat, score, box));
            }
        }

        return (CocoDataset.Create(imgs, categories, anns), dets);
    }
}
