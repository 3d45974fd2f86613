"""Writes the request bodies the OIP benchmark sends, from a fixture request.

Usage: payloads.py FIXTURE_INPUTS_JSON OUT_DIR [ROWS_FOR_1MIB_MODEL_INPUTS_JSON]
Produces: infer.json (V2 JSON, batch 1), infer.bin + infer.bin.ihcl (binary tensor extension),
infer.grpc (a gRPC-framed ModelInferRequest with raw_input_contents, as tritonclient sends),
and, with a third argument, big.json / big.bin / big.bin.ihcl carrying about 1 MiB of FP32.
"""
import json
import os
import struct
import sys

import numpy as np
import tritonclient.grpc.service_pb2 as pb

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
fx = json.load(open(src))
model = fx["model_name"]
req = fx["requests"][0]  # batch 1


def write_variants(req, model, prefix):
    with open(os.path.join(out, prefix + ".json"), "w") as f:
        json.dump(req, f, separators=(",", ":"))
    header_inputs, blobs = [], []
    for t in req["inputs"]:
        a = np.asarray(t["data"], dtype=np.float32).reshape(t["shape"])
        blob = a.astype("<f4").tobytes()
        blobs.append(blob)
        header_inputs.append({"name": t["name"], "shape": t["shape"], "datatype": "FP32", "parameters": {"binary_data_size": len(blob)}})
    header = json.dumps({"inputs": header_inputs, "parameters": {"binary_data_output": True}}, separators=(",", ":")).encode()
    with open(os.path.join(out, prefix + ".bin"), "wb") as f:
        f.write(header + b"".join(blobs))
    with open(os.path.join(out, prefix + ".bin.ihcl"), "w") as f:
        f.write(str(len(header)))
    m = pb.ModelInferRequest(model_name=model)
    for t, blob in zip(req["inputs"], blobs):
        i = m.inputs.add()
        i.name, i.datatype = t["name"], "FP32"
        i.shape.extend(t["shape"])
        m.raw_input_contents.append(blob)
    msg = m.SerializeToString()
    with open(os.path.join(out, prefix + ".grpc"), "wb") as f:
        f.write(b"\x00" + struct.pack(">I", len(msg)) + msg)


write_variants(req, model, "infer")
if len(sys.argv) > 3:
    big = json.load(open(sys.argv[3]))
    base = big["requests"][0]["inputs"][0]
    width = int(np.prod(base["shape"][1:]))
    rows = (1 << 20) // (4 * width) + 1
    rng = np.random.default_rng(7)
    data = (np.round(rng.standard_normal(rows * width) * 32) / 32).astype(np.float32)
    breq = {"id": "big", "inputs": [{"name": base["name"], "shape": [rows] + base["shape"][1:], "datatype": "FP32", "data": data.tolist()}]}
    write_variants(breq, big["model_name"], "big")
    print(big["model_name"], rows)
