#!/usr/bin/env python3
"""Native runtime vs onnxruntime, per fixture, at batch 1 and 64, side by side in one run.

For every model in the fixtures folder this measures, single-threaded and with the same inputs
(the fixture's own V2 requests for that batch size):
  * onnxruntime (CPU EP, intra_op 1, inter_op 1, sequential): per-call `session.run` time;
  * Switchyard: `switchyard model bench --json` (per-call `CompiledModel.run(positional:)`, the gateway's entry point);
and an identity model through onnxruntime, whose time is Python's per-call overhead. The ratio is
switchyard / (onnxruntime - identity). Runs alternate (ORT, Switchyard, ORT, ...) `--rounds`
times; the table shows medians over rounds and the spread (min-max) of the ratio.

Usage: compare_onnxruntime.py --switchyard .build/release/switchyard --models DIR [--json out.json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

DTYPES = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64, "INT32": np.int32, "BOOL": np.bool_}


def feeds_for(models_dir, name, batch):
    with open(os.path.join(models_dir, f"{name}.inputs.json")) as f:
        doc = json.load(f)
    for request in doc["requests"]:
        tensors = request["inputs"]
        if tensors[0]["shape"][0] == batch:
            return {t["name"]: np.array([np.nan if v == "NaN" else v for v in t["data"]],
                                        dtype=DTYPES[t["datatype"]]).reshape(t["shape"]) for t in tensors}
    return None


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def time_ort(sess, feeds, iterations):
    for _ in range(max(iterations // 10, 50)):
        sess.run(None, feeds)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(iterations):
        start = clock()
        sess.run(None, feeds)
        samples.append((clock() - start) / 1000.0)
    return statistics.median(samples)


def identity_model(directory):
    graph = helper.make_graph([helper.make_node("Identity", ["input"], ["output"])], "identity",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 32])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", 32])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = os.path.join(directory, "identity.onnx")
    onnx.save(model, path)
    return path


def time_switchyard(binary, path, inputs_json, batches, iterations):
    out = subprocess.run([binary, "model", "bench", path, "--batch", ",".join(map(str, batches)),
                          "--iterations", str(iterations), "--repeats", "1", "--inputs", inputs_json, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return {r["batch"]: r["median_us"] for r in map(json.loads, out.strip().splitlines())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--switchyard", required=True)
    parser.add_argument("--models", required=True)
    parser.add_argument("--batches", default="1,64")
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    names = sorted(f[:-5] for f in os.listdir(args.models)
                   if f.endswith(".onnx") and os.path.exists(os.path.join(args.models, f[:-5] + ".inputs.json")))

    tmp = tempfile.mkdtemp()
    ident = session(identity_model(tmp))
    sessions = {n: session(os.path.join(args.models, f"{n}.onnx")) for n in names}
    ort_t = {(n, b): [] for n in names for b in batches}
    sy_t = {(n, b): [] for n in names for b in batches}
    ident_t = {b: [] for b in batches}
    net_t = {(n, b): [] for n in names for b in batches}
    for _ in range(args.rounds):
        for n in names:
            for b in batches:
                feeds = feeds_for(args.models, n, b)
                if feeds is not None:
                    # Identity right before the model, so both see the same machine load.
                    ident_us = time_ort(ident, {"input": np.zeros((b, 32), np.float32)}, args.iterations)
                    ort_us = time_ort(sessions[n], feeds, args.iterations)
                    ident_t[b].append(ident_us)
                    ort_t[(n, b)].append(ort_us)
                    net_t[(n, b)].append(ort_us - ident_us)
            medians = time_switchyard(args.switchyard, os.path.join(args.models, f"{n}.onnx"),
                                      os.path.join(args.models, f"{n}.inputs.json"), batches, args.iterations)
            for b, v in medians.items():
                sy_t[(n, b)].append(v)

    rows = []
    print(f"load average before/after: {os.getloadavg()[0]:.2f}; onnxruntime {ort.__version__}; "
          f"{args.rounds} rounds × {args.iterations} calls; µs per call, medians")
    print(f"{'model':<24}{'batch':>6}{'ort':>10}{'ort-ident':>11}{'switchyard':>12}{'ratio':>8}{'spread':>16}")
    for b in batches:
        identity = statistics.median(ident_t[b])
        print(f"{'identity (overhead)':<24}{b:>6}{identity:>10.2f}   (median over all pairs)")
    for n in names:
        for b in batches:
            if not ort_t[(n, b)] or not sy_t[(n, b)]:
                continue
            identity = statistics.median(ident_t[b])
            o = statistics.median(ort_t[(n, b)])
            s = statistics.median(sy_t[(n, b)])
            # Net of overhead, floored at 0.1 µs: below that the subtraction is pure noise.
            net = max(statistics.median(net_t[(n, b)]), 0.1)
            per_round = [sv / max(nv, 0.1) for sv, nv in zip(sy_t[(n, b)], net_t[(n, b)])]
            ratio = s / net
            rows.append({"model": n, "batch": b, "ort_us": o, "identity_us": identity, "ort_net_us": net,
                         "switchyard_us": s, "ratio": ratio, "ratio_min": min(per_round), "ratio_max": max(per_round)})
            print(f"{n:<24}{b:>6}{o:>10.2f}{net:>11.2f}{s:>12.2f}{ratio:>8.2f}   {min(per_round):.2f}–{max(per_round):.2f}")
    result = {"what": "switchyard native runtime vs onnxruntime (net of Python overhead)", "onnxruntime": ort.__version__,
              "rounds": args.rounds, "iterations": args.iterations, "loadavg": os.getloadavg(), "rows": rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
