#!/usr/bin/env python3
"""A stand-in trainer for `cairn run`: shows the contract between Cairn and an external program.

Cairn passes:
  CAIRN_INPUT_DIR   the input version, materialised in the requested format (e.g. YOLO)
  CAIRN_OUTPUT_DIR  where to write checkpoints, metrics.json, results.csv (recorded as task outputs)
  CAIRN_TASK_ID, CAIRN_API   to talk back to the running task (progress, log, node settings)

Run it:  ./cairn run --input shapes-train@1 --format yolo --outputs runs/exp1 -- python3 samples/train.py --epochs 3
"""
import argparse, json, os, time, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=3)
args = ap.parse_args()

inp = os.environ.get("CAIRN_INPUT_DIR", ".")
out = os.environ.get("CAIRN_OUTPUT_DIR", "runs/local")
api, task = os.environ.get("CAIRN_API"), os.environ.get("CAIRN_TASK_ID")


def post(path, body):
    """Best effort: the script also runs outside Cairn."""
    if not (api and task):
        return
    req = urllib.request.Request(f"{api}/api/v1/tasks/{task}/{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        urllib.request.urlopen(req, timeout=5).read()
    except OSError as e:
        print(f"could not reach Cairn: {e}")


images = sum(len(fs) for _, _, fs in os.walk(inp))
print(f"training on {images} files from {inp}")
os.makedirs(os.path.join(out, "weights"), exist_ok=True)
loss = 1.0
for epoch in range(1, args.epochs + 1):
    time.sleep(0.2)
    loss *= 0.6
    with open(os.path.join(out, "weights", f"epoch{epoch}.pt"), "wb") as f:
        f.write(os.urandom(1024))
    print(f"epoch {epoch}/{args.epochs} loss {loss:.4f}", flush=True)
    post("progress", {"fraction": epoch / args.epochs, "message": f"epoch {epoch}"})

with open(os.path.join(out, "weights", "best.pt"), "wb") as f:
    f.write(os.urandom(2048))
with open(os.path.join(out, "metrics.json"), "w") as f:
    json.dump({"epochs": args.epochs, "loss": round(loss, 4), "mAP50": 0.93, "mAP50-95": 0.70}, f, indent=2)
print("done")
