#!/usr/bin/env python3
"""A peer engine on the same files, timed the same way (whole run and evaluation alone): pycocotools' COCOeval or
faster-coco-eval's COCOeval_faster (C++ evaluation).

usage: peer_eval.py pycocotools|faster_coco_eval GT.json DT.json bbox|segm
Prints one JSON line: {"load_s", "evaluate_s", "total_s", "stats"}.
"""
import json, sys, time

t0 = time.perf_counter()
if sys.argv[1] == "faster_coco_eval":
    from faster_coco_eval import COCO, COCOeval_faster as COCOeval  # noqa: E402
else:
    from pycocotools.coco import COCO  # noqa: E402
    from pycocotools.cocoeval import COCOeval  # noqa: E402
import contextlib, io  # noqa: E402

with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(sys.argv[2])
    dt = gt.loadRes(sys.argv[3])
    t1 = time.perf_counter()
    e = COCOeval(gt, dt, sys.argv[4])
    e.evaluate()
    e.accumulate()
    e.summarize()
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "evaluate_s": t2 - t1, "total_s": t2 - t0, "stats": list(map(float, e.stats))}))
