using Cairn.Core.Model;

namespace Cairn.Inference.Internal;

/// <summary>
/// Turns a batch's raw outputs into detections per image: candidates above the confidence threshold (Ultralytics
/// non_max_suppression), class-wise NMS, at most max_det boxes, boxes mapped back through the letterbox and clipped.
/// Not thread-safe: one per consumer; buffers are reused across batches.
/// </summary>
internal sealed class Postprocessor
{
    private readonly OutputLayout _layout;
    private readonly int _classCount;
    private readonly DetectionOptions _options;
    private readonly bool _multiLabel;
    private readonly Nms _nms = new();
    private Candidate[] _candidates = new Candidate[1024];
    private int[] _keep;
    private ulong[] _keys = [];

    public Postprocessor(OutputLayout layout, int classCount, DetectionOptions options)
    {
        _layout = layout;
        _classCount = classCount;
        _options = options;
        _multiLabel = (options.MultiLabel ?? true) && classCount > 1;
        _keep = new int[options.MaxDetections];
    }

    /// <summary>Decodes image <paramref name="image"/> of a single-output batch whose per-image block is <paramref name="rows"/> × <paramref name="cols"/>.</summary>
    public ImageDetections Decode(ReadOnlySpan<float> output, int image, int rows, int cols, in LetterboxTransform t, string key)
    {
        var block = output.Slice(image * rows * cols, rows * cols);
        var n = _layout switch
        {
            OutputLayout.YoloChannelsFirst => CandidatesChannelsFirst(block, rows, cols),
            OutputLayout.YoloChannelsLast => CandidatesChannelsLast(block, rows, cols, objectness: false),
            OutputLayout.YoloObjectness => CandidatesChannelsLast(block, rows, cols, objectness: true),
            OutputLayout.EndToEnd => CandidatesEndToEnd(block, rows, cols),
            _ => throw new InvalidOperationException($"Layout {_layout} has several outputs."),
        };
        return Finish(n, applyNms: _layout != OutputLayout.EndToEnd, in t, key);
    }

    /// <summary>Decodes image <paramref name="image"/> of separate boxes [B, N, 4], scores [B, N] and labels [B, N] outputs.</summary>
    public ImageDetections DecodeBoxesScoresLabels(
        ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, ReadOnlySpan<long> labels, int image, int count, in LetterboxTransform t, string key)
    {
        var b = boxes.Slice(image * count * 4, count * 4);
        var s = scores.Slice(image * count, count);
        var l = labels.Slice(image * count, count);
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (s[i] >= _options.ConfidenceThreshold && l[i] >= 0 && l[i] < _classCount)
            {
                Add(ref n, new Candidate(b[4 * i], b[(4 * i) + 1], b[(4 * i) + 2], b[(4 * i) + 3], s[i], (int)l[i]));
            }
        }

        return Finish(n, applyNms: false, in t, key);
    }

    private int CandidatesChannelsFirst(ReadOnlySpan<float> block, int rows, int cols)
    {
        var conf = _options.ConfidenceThreshold;
        var classes = rows - 4;
        var n = 0;
        for (var i = 0; i < cols; i++)
        {
            // Ultralytics first keeps anchors whose best class clears the threshold (xc), then splits them by class.
            var best = -1;
            var bestScore = float.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                var s = block[((4 + c) * cols) + i];
                if (s > bestScore)
                {
                    bestScore = s;
                    best = c;
                }
            }

            if (!(bestScore >= conf))
            {
                continue;
            }

            var cx = block[i];
            var cy = block[cols + i];
            var hw = block[(2 * cols) + i] / 2;
            var hh = block[(3 * cols) + i] / 2;
            if (_multiLabel)
            {
                for (var c = 0; c < classes; c++)
                {
                    var s = block[((4 + c) * cols) + i];
                    if (s >= conf)
                    {
                        Add(ref n, new Candidate(cx - hw, cy - hh, cx + hw, cy + hh, s, c));
                    }
                }
            }
            else
            {
                Add(ref n, new Candidate(cx - hw, cy - hh, cx + hw, cy + hh, bestScore, best));
            }
        }

        return n;
    }

    private int CandidatesChannelsLast(ReadOnlySpan<float> block, int rows, int cols, bool objectness)
    {
        var conf = _options.ConfidenceThreshold;
        var first = objectness ? 5 : 4;
        var classes = cols - first;
        var n = 0;
        for (var i = 0; i < rows; i++)
        {
            var row = block.Slice(i * cols, cols);
            var obj = objectness ? row[4] : 1f;
            if (objectness && !(obj >= conf))
            {
                continue;
            }

            var best = -1;
            var bestScore = float.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                var s = row[first + c] * obj;
                if (s > bestScore)
                {
                    bestScore = s;
                    best = c;
                }
            }

            if (!(bestScore >= conf))
            {
                continue;
            }

            var cx = row[0];
            var cy = row[1];
            var hw = row[2] / 2;
            var hh = row[3] / 2;
            if (_multiLabel)
            {
                for (var c = 0; c < classes; c++)
                {
                    var s = row[first + c] * obj;
                    if (s >= conf)
                    {
                        Add(ref n, new Candidate(cx - hw, cy - hh, cx + hw, cy + hh, s, c));
                    }
                }
            }
            else
            {
                Add(ref n, new Candidate(cx - hw, cy - hh, cx + hw, cy + hh, bestScore, best));
            }
        }

        return n;
    }

    private int CandidatesEndToEnd(ReadOnlySpan<float> block, int rows, int cols)
    {
        var n = 0;
        for (var i = 0; i < rows; i++)
        {
            var row = block.Slice(i * cols, cols);
            var cls = (int)row[5];
            if (row[4] >= _options.ConfidenceThreshold && cls >= 0 && cls < _classCount)
            {
                Add(ref n, new Candidate(row[0], row[1], row[2], row[3], row[4], cls));
            }
        }

        return n;
    }

    private void Add(ref int n, in Candidate c)
    {
        if (n == _candidates.Length)
        {
            Array.Resize(ref _candidates, n * 2);
        }

        _candidates[n++] = c;
    }

    private ImageDetections Finish(int n, bool applyNms, in LetterboxTransform t, string key)
    {
        var candidates = _candidates.AsSpan(0, n);
        int kept;
        if (applyNms)
        {
            kept = _nms.Run(candidates, _classCount, _options.IouThreshold, _options.MaxDetections, _options.MaxCandidates, _keep);
        }
        else
        {
            if (_keys.Length < n)
            {
                _keys = new ulong[Math.Max(n, 2 * _keys.Length)];
            }

            Candidate.SortByScore(candidates, _keys);
            kept = Math.Min(n, _options.MaxDetections);
            for (var i = 0; i < kept; i++)
            {
                _keep[i] = (int)(uint)_keys[i];
            }
        }

        var detections = new Detection[kept];
        for (var i = 0; i < kept; i++)
        {
            ref readonly var c = ref candidates[_keep[i]];
            var box = new BoxD(t.MapX(c.X1), t.MapY(c.Y1), t.MapX(c.X2), t.MapY(c.Y2));
            detections[i] = new Detection(c.Class, c.Score, box);
        }

        return new ImageDetections(key, t.SourceWidth, t.SourceHeight, detections);
    }
}
