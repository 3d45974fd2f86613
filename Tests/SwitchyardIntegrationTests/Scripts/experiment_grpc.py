"""gRPC clients against a routed experiment: tritonclient and a raw grpcio stub.

Usage: experiment_grpc.py PORT EXPERIMENT
Prints one JSON line: the variant each client saw, from the response parameters (tritonclient) and
from the initial metadata (grpcio), plus the error a forced unknown version gets.
"""
import json
import sys

import grpc
import numpy as np
import tritonclient.grpc as grpcclient
from tritonclient.grpc import service_pb2, service_pb2_grpc

port, experiment = sys.argv[1], sys.argv[2]
url = f"127.0.0.1:{port}"
out = {"tritonclient": [], "grpcio": [], "direct": None}

client = grpcclient.InferenceServerClient(url=url)
row = np.array([[0.5, 1.2, 0.5, -1.9, 1.3, 0.6]], dtype=np.float32)
for _ in range(20):
    inp = grpcclient.InferInput("input", list(row.shape), "FP32")
    inp.set_data_from_numpy(row)
    result = client.infer(experiment, [inp], headers={"x-user-id": "grpc-user"})
    response = result.get_response()
    params = {k: v.string_param for k, v in response.parameters.items()}
    out["tritonclient"].append({"variant": params.get("switchyard_variant"),
                                "token": params.get("switchyard_assignment", "")[:4],
                                "model_version": response.model_version,
                                "probabilities": result.as_numpy("probabilities").shape[1]})

channel = grpc.insecure_channel(url)
stub = service_pb2_grpc.GRPCInferenceServiceStub(channel)
request = service_pb2.ModelInferRequest(model_name=experiment)
tensor = request.inputs.add(name="input", datatype="FP32", shape=[1, 6])
request.raw_input_contents.append(row.tobytes())
for _ in range(5):
    response, call = stub.ModelInfer.with_call(request, metadata=(("x-user-id", "grpc-user"),))
    metadata = dict(call.initial_metadata())
    parameters = {k: v.string_param for k, v in response.parameters.items()}
    out["grpcio"].append({"variant": metadata.get("x-switchyard-variant"),
                          "experiment": metadata.get("x-switchyard-experiment"),
                          "token": metadata.get("x-switchyard-assignment", "")[:4],
                          "same_token": metadata.get("x-switchyard-assignment") == parameters.get("switchyard_assignment"),
                          "model_version": response.model_version})

direct = service_pb2.ModelInferRequest(model_name="classifier", model_version="1")
direct.inputs.add(name="input", datatype="FP32", shape=[1, 6])
direct.raw_input_contents.append(row.tobytes())
response, call = stub.ModelInfer.with_call(direct)
out["direct"] = {"variant": dict(call.initial_metadata()).get("x-switchyard-variant"), "model_version": response.model_version}
print(json.dumps(out))
