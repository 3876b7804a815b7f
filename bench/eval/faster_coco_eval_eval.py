#!/usr/bin/env python3
"""The second peer: faster-coco-eval's COCOeval_faster (C++ evaluation) on the same files, timed like pycocotools_eval.py.

usage: faster_coco_eval_eval.py GT.json DT.json bbox|segm
Prints one JSON line: {"load_s", "evaluate_s", "total_s", "stats"}.
"""
import json, sys, time

t0 = time.perf_counter()
from faster_coco_eval import COCO, COCOeval_faster  # noqa: E402
import contextlib, io  # noqa: E402

with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(sys.argv[1])
    dt = gt.loadRes(sys.argv[2])
    t1 = time.perf_counter()
    e = COCOeval_faster(gt, dt, sys.argv[3])
    e.evaluate()
    e.accumulate()
    e.summarize()
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "evaluate_s": t2 - t1, "total_s": t2 - t0, "stats": list(map(float, e.stats))}))
