#!/usr/bin/env python3
"""Generates Switchyard's own ONNX test fixtures and example models.

For each model it writes, into models/ next to this script:
  <name>.onnx           the model (IR 8)
  <name>.inputs.json    {"model_name", "batch_sizes", "requests": [V2 inference request bodies]}
  <name>.expected.json  {"model_name", "batch_sizes", "tolerance", "reference", "responses": [...]}
the same layout as the shared fixtures, with other shapes, seeds and op variants. Expected
outputs come from onnxruntime (CPU, 1 intra-op thread). Everything is seeded; inputs are rounded
to multiples of 1/1024 so they are exact float32 values.

Usage (from a venv with scikit-learn, skl2onnx, onnx, onnxruntime):
  python Tests/Fixtures/generate.py
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
BATCHES = [1, 3, 17]
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


def q(x, step=1024.0):
    return (np.round(np.asarray(x, dtype=np.float64) * step) / step).astype(np.float32)


def finish(model, name):
    model.ir_version = 8
    model.graph.name = name
    seen = {}
    for op in model.opset_import:
        seen[op.domain] = max(seen.get(op.domain, 0), op.version)
    del model.opset_import[:]
    for domain, version in sorted(seen.items()):
        model.opset_import.append(helper.make_opsetid(domain, version))
    onnx.checker.check_model(model, full_check=True)
    return model


def v2_tensor(name, array):
    array = np.asarray(array)
    kind = array.dtype
    dtype = ("BYTES" if kind.kind in "OUS" else "BOOL" if kind.kind == "b" else
             "FP32" if kind == np.float32 else "FP64" if kind == np.float64 else
             "INT64" if kind == np.int64 else "INT32" if kind == np.int32 else None)
    assert dtype, f"unsupported dtype {kind}"
    if dtype == "BYTES":
        data = [str(v) for v in array.ravel()]
    elif dtype in ("FP32", "FP64"):
        # Shortest round-trip decimal of the value at its own precision; JSON has no NaN, so
        # NaN is written as the string "NaN".
        data = ["NaN" if np.isnan(v) else float(str(np.float32(v) if dtype == "FP32" else np.float64(v)))
                for v in array.ravel()]
    else:
        data = [int(v) if dtype != "BOOL" else bool(v) for v in array.ravel()]
    return {"name": name, "shape": list(array.shape), "datatype": dtype, "data": data}


def write(name, model, make_inputs, description):
    model = finish(model, name)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"{name}.onnx")
    onnx.save(model, path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    requests, responses = [], []
    for i, batch in enumerate(BATCHES):
        feeds = make_inputs(batch, i)
        outputs = session.run(None, feeds)
        rid = f"{name}-b{batch}"
        requests.append({"id": rid, "inputs": [v2_tensor(k, v) for k, v in feeds.items()]})
        responses.append({"model_name": name, "id": rid,
                          "outputs": [v2_tensor(o.name, v) for o, v in zip(session.get_outputs(), outputs)]})
    with open(os.path.join(OUT, f"{name}.inputs.json"), "w") as f:
        json.dump({"model_name": name, "description": description, "batch_sizes": BATCHES, "requests": requests}, f)
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump({"model_name": name, "batch_sizes": BATCHES, "tolerance": {"rtol": 1e-4, "atol": 1e-5},
                   "reference": f"onnxruntime {ort.__version__}", "responses": responses}, f)
    print(f"{name}: {os.path.getsize(path)} bytes, ops {sorted({n.op_type for n in model.graph.node})}")


def sk(estimator, X, zipmap=None):
    options = {id(estimator): {"zipmap": False}} if zipmap is False else None
    return convert_sklearn(estimator, initial_types=[("input", FloatTensorType([None, X.shape[1]]))],
                           target_opset=TARGET_OPSET, options=options)


def tabular(features, seed):
    rng = np.random.default_rng(seed)
    return lambda batch, i: {"input": q(rng.normal(size=(batch, features)) * 1.5)}


def classifier_v2(X, y):
    # classifier version 2: a random forest on the same data, same input and output names, so
    # that it can be an experiment's candidate against version 1 (the README's A/B example).
    rf = RandomForestClassifier(n_estimators=10, max_depth=5, random_state=21).fit(X, y)
    write("classifier_v2", sk(rf, X, zipmap=False), tabular(6, 2),
          "RandomForestClassifier, 6 features, 4 classes (version 2 of the example classifier)")


def sklearn_models():
    # classifier: the gateway README's example (4 classes, 6 features, softmax probabilities).
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, n_classes=4, random_state=11)
    X = q(X)
    clf = LogisticRegression(max_iter=3000).fit(X, y)
    write("classifier", sk(clf, X, zipmap=False), tabular(6, 1),
          "LogisticRegression, 6 features, 4 classes (example model)")

    classifier_v2(X, y)

    # regressor: the README's other example — a random forest (AVERAGE aggregate).
    X, y = make_regression(n_samples=300, n_features=5, noise=0.5, random_state=12)
    X = q(X)
    reg = RandomForestRegressor(n_estimators=12, max_depth=5, random_state=12).fit(X, y)
    write("regressor", sk(reg, X), tabular(5, 2),
          "RandomForestRegressor, 12 trees (AVERAGE), 5 features (example model)")

    # gbc_binary: one-score binary tree ensemble with LOGISTIC (onnxruntime's binary conventions).
    X, y = make_classification(n_samples=300, n_features=7, n_informative=5, random_state=13)
    X = q(X)
    gbc = GradientBoostingClassifier(n_estimators=25, max_depth=2, random_state=13).fit(X, y)
    write("gbc_binary", sk(gbc, X, zipmap=False), tabular(7, 3),
          "GradientBoostingClassifier, binary, 25 trees")

    # rf_strings: string class labels → STRING label output.
    X, y = make_classification(n_samples=300, n_features=5, n_informative=3, n_classes=3, random_state=14)
    X = q(X)
    labels = np.array(["cat", "dog", "eel"], dtype=object)[y]
    rf = RandomForestClassifier(n_estimators=8, max_depth=4, random_state=14).fit(X, labels)
    write("rf_strings", sk(rf, X, zipmap=False), tabular(5, 4),
          "RandomForestClassifier with string labels")

    # mlp_tanh: tanh hidden layer, 3 classes.
    X, y = make_classification(n_samples=400, n_features=12, n_informative=8, n_classes=3, random_state=15)
    X = q(X)
    mlp = MLPClassifier(hidden_layer_sizes=(16,), activation="tanh", max_iter=600, random_state=15).fit(X, y)
    write("mlp_tanh", sk(mlp, X, zipmap=False), tabular(12, 5),
          "MLPClassifier(16, tanh), 3 classes")

    # imputer_scaler_logreg: NaN imputation + scaling + binary logistic regression.
    X, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0, random_state=16)
    X = q(X * np.array([1, 10, 0.1, 3]) + np.array([0, 5, -1, 2]))
    X[::7, 1] = np.nan
    pipe = Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler()), ("lr", LogisticRegression())]).fit(X, y)
    rng = np.random.default_rng(6)

    def with_nans(batch, i):
        x = q(rng.normal(size=(batch, 4)) * np.array([1, 10, 0.1, 3]) + np.array([0, 5, -1, 2]))
        x[::2, 1] = np.nan
        return {"input": x}
    write("imputer_scaler_logreg", sk(pipe, X, zipmap=False), with_nans,
          "SimpleImputer + StandardScaler + binary LogisticRegression")


def cnn_small():
    rng = np.random.default_rng(17)
    w = lambda *s: numpy_helper.from_array(q(rng.normal(size=s) * 0.3, 256))
    inits = [w(4, 1, 3, 3), w(4), w(4), w(4), w(4)]
    for t, n in zip(inits, ["conv_w", "conv_b", "bn_scale", "bn_bias", "bn_mean"]):
        t.name = n
    var = numpy_helper.from_array(q(rng.uniform(0.5, 1.5, size=4), 256), "bn_var")
    fc = numpy_helper.from_array(q(rng.normal(size=(5, 4)) * 0.5, 256), "fc_w")
    fcb = numpy_helper.from_array(q(rng.normal(size=5) * 0.1, 256), "fc_b")
    nodes = [
        helper.make_node("Conv", ["x", "conv_w", "conv_b"], ["c"], pads=[1, 0, 1, 2], strides=[2, 1], dilations=[1, 2], group=1),
        helper.make_node("BatchNormalization", ["c", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["bn"], epsilon=1e-3),
        helper.make_node("LeakyRelu", ["bn"], ["a"], alpha=0.1),
        helper.make_node("AveragePool", ["a"], ["p"], kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 1, 1]),
        helper.make_node("MaxPool", ["p"], ["m"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        helper.make_node("GlobalAveragePool", ["m"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], transB=1, alpha=0.9),
        helper.make_node("LogSoftmax", ["logits"], ["log_probs"], axis=-1),
        helper.make_node("ArgMax", ["logits"], ["class"], axis=1, keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "cnn_small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 11, 9])],
        [helper.make_tensor_value_info("log_probs", TensorProto.FLOAT, ["N", 5]),
         helper.make_tensor_value_info("class", TensorProto.INT64, ["N"])],
        inits + [var, fc, fcb])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    irng = np.random.default_rng(7)
    write("cnn_small", model, lambda batch, i: {"x": q(irng.normal(size=(batch, 1, 11, 9)), 32)},
          "Conv (asymmetric pads, strides, dilations) + BatchNorm + LeakyRelu + pools + Gemm(transB) + LogSoftmax + ArgMax")


if __name__ == "__main__":
    sklearn_models()
    cnn_small()
