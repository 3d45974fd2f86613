"""End-to-end Open Inference Protocol checks with the real clients: tritonclient (HTTP JSON,
HTTP binary tensors, gRPC), grpcio raw calls and plain HTTP for error paths.

Usage: triton_e2e.py PORT FIXTURE_DIR [FIXTURE_DIR...]
Each FIXTURE_DIR holds <model>.inputs.json and <model>.expected.json (the format of the shared
fixtures); the server must serve those models under the same names. Prints one JSON line:
{"checks": N, "failures": [...], "models": [...]} and exits 0 (the Swift test asserts on it).
"""
import http.client
import json
import os
import sys

import grpc
import numpy as np
import tritonclient.grpc as grpcclient
import tritonclient.grpc.service_pb2 as pb
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

PORT = int(sys.argv[1])
DIRS = sys.argv[2:]
URL = f"127.0.0.1:{PORT}"
checks = 0
failures = []

NP = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64, "INT32": np.int32, "BOOL": np.bool_,
      "UINT8": np.uint8, "INT8": np.int8, "INT16": np.int16, "UINT16": np.uint16, "UINT32": np.uint32, "UINT64": np.uint64}


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def close(got, want, datatype, rtol, atol):
    if datatype == "BYTES":
        # tritonclient returns BYTES as Python bytes (binary and gRPC) or str (JSON).
        norm = lambda v: v.decode() if isinstance(v, (bytes, np.bytes_)) else str(v)
        return [norm(v) for v in np.asarray(got, dtype=object).reshape(-1)] == [norm(v) for v in np.asarray(want, dtype=object).reshape(-1)]
    got = np.asarray(got).reshape(-1)
    want = np.asarray(want).reshape(-1)
    if got.shape != want.shape:
        return False
    if datatype in ("FP32", "FP64", "FP16"):
        return bool(np.all(np.abs(got.astype(np.float64) - want.astype(np.float64)) <= atol + rtol * np.abs(want.astype(np.float64))))
    return bool(np.array_equal(got, want.astype(got.dtype)))


def fixtures():
    for d in DIRS:
        for f in sorted(os.listdir(d)):
            if f.endswith(".inputs.json"):
                name = f[: -len(".inputs.json")]
                exp = os.path.join(d, name + ".expected.json")
                if os.path.exists(exp):
                    yield name, json.load(open(os.path.join(d, f))), json.load(open(exp))


def raw(method, path, body=b"", headers=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data, dict((k.lower(), v) for k, v in r.getheaders())


hc = httpclient.InferenceServerClient(URL)
gc = grpcclient.InferenceServerClient(URL)
models = []

# --- health and metadata
check(hc.is_server_live() and hc.is_server_ready(), "http: server live/ready")
check(gc.is_server_live() and gc.is_server_ready(), "grpc: server live/ready")
meta = hc.get_server_metadata()
check("binary_tensor_data" in meta["extensions"], f"server metadata extensions: {meta}")
check(set(gc.get_server_metadata().extensions) == set(meta["extensions"]), "grpc server metadata matches http")

for name, inputs, expected in fixtures():
    models.append(name)
    tol = expected.get("tolerance", {"rtol": 1e-4, "atol": 1e-5})
    rtol, atol = tol["rtol"], tol["atol"]
    check(hc.is_model_ready(name), f"{name}: ready over http")
    check(gc.is_model_ready(name), f"{name}: ready over grpc")
    mm = hc.get_model_metadata(name)
    check(mm["name"] == name and mm["platform"] == "onnx_onnxv1", f"{name}: metadata {mm}")
    gm = gc.get_model_metadata(name)
    check([i.name for i in gm.inputs] == [i["name"] for i in mm["inputs"]], f"{name}: grpc metadata inputs")
    for req, resp in zip(inputs["requests"], expected["responses"]):
        outs = [o["name"] for o in resp["outputs"]]
        arrays = []
        for inp in req["inputs"]:
            arrays.append((inp["name"], inp["datatype"], np.array(inp["data"], dtype=NP[inp["datatype"]]).reshape(inp["shape"])))
        # JSON has no NaN or Infinity: requests carrying them (missing values for an Imputer) go
        # through the binary extension and gRPC only.
        finite = all(np.all(np.isfinite(a)) for _, dt, a in arrays if dt in ("FP32", "FP64"))
        # HTTP, JSON tensors both ways, then binary tensors
        for binary in ((False, True) if finite else (True,)):
            ins = []
            for n, dt, a in arrays:
                i = httpclient.InferInput(n, list(a.shape), dt)
                i.set_data_from_numpy(a, binary_data=binary)
                ins.append(i)
            ro = [httpclient.InferRequestedOutput(o, binary_data=binary) for o in outs]
            try:
                r = hc.infer(name, ins, outputs=ro, request_id=req.get("id", ""))
                for o in resp["outputs"]:
                    got = r.as_numpy(o["name"])
                    check(got is not None and list(got.shape) == o["shape"] and close(got, o["data"], o["datatype"], rtol, atol),
                          f"{name} {req.get('id')} http binary={binary}: output {o['name']} mismatch")
                check(r.get_response().get("id") == req.get("id", ""), f"{name}: id echoed")
            except InferenceServerException as e:
                check(False, f"{name} {req.get('id')} http binary={binary}: {e}")
        # gRPC (raw_input_contents, as tritonclient sends)
        ins = []
        for n, dt, a in arrays:
            i = grpcclient.InferInput(n, list(a.shape), dt)
            i.set_data_from_numpy(a)
            ins.append(i)
        try:
            r = gc.infer(name, ins, outputs=[grpcclient.InferRequestedOutput(o) for o in outs], request_id=req.get("id", ""))
            for o in resp["outputs"]:
                got = r.as_numpy(o["name"])
                check(got is not None and list(got.shape) == o["shape"] and close(got, o["data"], o["datatype"], rtol, atol),
                      f"{name} {req.get('id')} grpc: output {o['name']} mismatch")
        except InferenceServerException as e:
            check(False, f"{name} {req.get('id')} grpc: {e}")
        # Plain curl-style JSON POST of the fixture request, as is.
        if not finite:
            continue
        st, body, _ = raw("POST", f"/v2/models/{name}/infer", json.dumps(req).encode(), {"content-type": "application/json"})
        check(st == 200, f"{name}: raw JSON POST status {st} {body[:200]}")

if models:
    m = models[0]
    req = next(fixtures())[1]["requests"][0]
    body = json.dumps(req).encode()
    inp = req["inputs"][0]
    # --- error cases over REST: status and message
    st, b, _ = raw("POST", "/v2/models/no-such-model/infer", body)
    check(st == 404 and b"no-such-model" in b, f"unknown model: {st} {b}")
    st, b, _ = raw("POST", f"/v2/models/{m}/versions/99/infer", body)
    check(st == 404 and b"99" in b, f"unknown version: {st} {b}")
    bad = json.loads(body); bad["inputs"][0]["datatype"] = "INT32"; bad["inputs"][0]["data"] = [0] * len(bad["inputs"][0]["data"])
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", json.dumps(bad).encode())
    check(st == 400 and b"INT32" in b and inp["name"].encode() in b, f"wrong datatype: {st} {b}")
    bad = json.loads(body); bad["inputs"][0]["shape"] = [1, 3]; bad["inputs"][0]["data"] = [0.0, 0.0, 0.0]
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", json.dumps(bad).encode())
    check(st == 400 and b"shape" in b, f"wrong shape: {st} {b}")
    bad = json.loads(body); bad["inputs"][0]["data"] = bad["inputs"][0]["data"][:-1]
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", json.dumps(bad).encode())
    check(st == 400 and b"elements" in b, f"data length vs shape: {st} {b}")
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", b'{"inputs": [', {"content-type": "application/json"})
    check(st == 400 and b"error" in b, f"invalid JSON: {st} {b}")
    hdr = json.dumps({"inputs": [{"name": inp["name"], "shape": inp["shape"], "datatype": "FP32",
                                  "parameters": {"binary_data_size": 4 * len(inp["data"])}}]}).encode()
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", hdr + b"\x00" * 7, {"inference-header-content-length": str(len(hdr))})
    check(st == 400 and b"binary" in b.lower(), f"truncated binary body: {st} {b}")
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", hdr, {"inference-header-content-length": str(len(hdr) + 50)})
    check(st == 400, f"header length beyond body: {st} {b}")
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", hdr, {"inference-header-content-length": "abc"})
    check(st == 400, f"non-numeric header length: {st} {b}")
    st, b, _ = raw("GET", f"/v2/models/{m}/infer")
    check(st == 405, f"GET on infer: {st}")

    # --- gRPC errors
    try:
        gc.infer("no-such-model", [grpcclient.InferInput(inp["name"], inp["shape"], "FP32")])
        check(False, "grpc unknown model accepted")
    except InferenceServerException as e:
        check(e.status() == "StatusCode.NOT_FOUND", f"grpc unknown model status {e.status()}")
    ch = grpc.insecure_channel(URL)
    unknown = ch.unary_unary("/inference.GRPCInferenceService/NoSuchMethod", request_serializer=lambda x: x, response_deserializer=lambda x: x)
    try:
        unknown(b"")
        check(False, "unknown method accepted")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.UNIMPLEMENTED, f"unknown method: {e.code()}")
    infer = ch.unary_unary("/inference.GRPCInferenceService/ModelInfer", request_serializer=lambda x: x, response_deserializer=pb.ModelInferResponse.FromString)
    try:
        infer(b"\xff\xff\xff")
        check(False, "garbage protobuf accepted")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"garbage protobuf: {e.code()}")
    live = ch.unary_unary("/inference.GRPCInferenceService/ServerLive", request_serializer=pb.ServerLiveRequest.SerializeToString, response_deserializer=pb.ServerLiveResponse.FromString)
    check(live(pb.ServerLiveRequest(), timeout=5).live, "grpcio ServerLive")
    r = pb.ModelInferRequest(model_name=m)
    t = r.inputs.add(); t.name = inp["name"]; t.datatype = "FP32"; t.shape.extend(inp["shape"]); t.contents.fp32_contents.extend(inp["data"])
    out = infer(r.SerializeToString(), timeout=10)
    check(len(out.outputs) >= 1 and len(out.raw_output_contents) == len(out.outputs), "grpcio typed contents infer")
    t.contents.fp32_contents.pop()
    try:
        infer(r.SerializeToString(), timeout=10)
        check(False, "short typed contents accepted")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"short contents: {e.code()} {e.details()}")

    # --- statistics
    st, b, _ = raw("GET", f"/v2/models/{m}/stats")
    s = json.loads(b)
    check(st == 200 and s["model_stats"][0]["inference_stats"]["success"]["count"] > 0, f"stats: {b[:200]}")
    gs = gc.get_inference_statistics(m)
    check(gs.model_stats[0].inference_stats.success.count > 0, "grpc stats")
    # The phases are disjoint parts of each request's time (clock readings are shared at their
    # boundaries), so their sums never exceed the successes' total.
    inf = s["model_stats"][0]["inference_stats"]
    phases = sum(inf[k]["ns"] for k in ("queue", "compute_input", "compute_infer", "compute_output"))
    check(all(inf[k]["count"] == inf["success"]["count"] for k in ("queue", "compute_input", "compute_infer", "compute_output"))
          and 0 < phases <= inf["success"]["ns"], f"phase times: {inf}")

    # --- repository: unload, not ready, load again
    hc.unload_model(m)
    check(not hc.is_model_ready(m), "unloaded model is not ready")
    st, b, _ = raw("POST", f"/v2/models/{m}/infer", body)
    check(st in (404, 503), f"infer on unloaded model: {st} {b}")
    idx = hc.get_model_repository_index()
    check(any(e["name"] == m and e.get("state") == "UNAVAILABLE" for e in idx), f"index after unload: {idx}")
    gc.load_model(m)
    check(hc.is_model_ready(m), "reloaded model is ready")
    st, _, _ = raw("POST", f"/v2/models/{m}/infer", body)
    check(st == 200, "infer after reload")
    try:
        hc.load_model("no-such-model")
        check(False, "loading a missing model succeeded")
    except InferenceServerException as e:
        check("no-such-model" in str(e), f"load missing model: {e}")

print(json.dumps({"checks": checks, "failures": failures, "models": models}))
