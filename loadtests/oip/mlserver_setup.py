"""Prepares an MLServer model folder serving an sklearn MLPClassifier with the `mlp` fixture's
shape (32 -> 64 -> 64 -> 4, relu), so MLServer answers the same V2 request Switchyard does.

Usage: mlserver_setup.py OUT_DIR HTTP_PORT GRPC_PORT METRICS_PORT
"""
import json
import os
import sys

import joblib
import numpy as np
from sklearn.datasets import make_classification
from sklearn.neural_network import MLPClassifier

out, http_port, grpc_port, metrics_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(os.path.join(out, "mlp"), exist_ok=True)
X, y = make_classification(n_samples=2000, n_features=32, n_informative=16, n_classes=4, random_state=0)
clf = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu", max_iter=300, random_state=0).fit(X.astype(np.float32), y)
joblib.dump(clf, os.path.join(out, "mlp", "model.joblib"))
json.dump({"name": "mlp", "implementation": "mlserver_sklearn.SKLearnModel", "parameters": {"uri": "./model.joblib"}},
          open(os.path.join(out, "mlp", "model-settings.json"), "w"))
json.dump({"http_port": http_port, "grpc_port": grpc_port, "metrics_port": metrics_port, "parallel_workers": 0,
           "host": "127.0.0.1", "debug": False},
          open(os.path.join(out, "settings.json"), "w"))
