"""The bench's Keras side: one workload, the same model and data shapes as ours, one JSON line out.

    python bench_keras.py WORKLOAD '{"option": ...}'

Workloads (tools/bench/keras-compare.js runs them back to back with ours):
  cnn-train-epochs   the seed CNN, Adam, cross-entropy, batch 32, on MNIST (options.mnist: a folder with
                     train-images-idx3-ubyte.gz) or synthetic images; 1 warm-up epoch, the fastest timed one kept
  cnn-predict        samples/s of model.predict at options.batchSize over options.batches batches, warmed up
  cnn-latency        ms per one-image call (what `serve` pays per upload), warmed up: model(x, training=False)
                     and predict_on_batch both measured, the faster kept and named
  lstm-epoch         LSTM(50, relu) + Dense(1) (gru-epoch: GRU(50, relu, reset_after=False)), MSE, Adam, batch 32,
                     on options.windows 20-step windows of a random walk
  dense-table-epoch  the dense-table stage's default network (dense 64 relu, dense 32 relu, softmax),
                     Adam, cross-entropy, batch 64, on options.rows x options.inputs random rows
Threads stay at TensorFlow's defaults; what they are is reported.
"""

import gzip
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up chatter would hide the JSON line

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

SEED_CNN_PARAMS = 3_274_634  # packages/models-cnn ORIGIN_MNIST_LAYERS on 28x28x1


class EpochTimer(keras.callbacks.Callback):
    """Seconds of each epoch, from its first batch to its end."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def steady_epoch_seconds(model, x, y, batch_size, timed_epochs):
    """One warm-up epoch (tracing, first-touch allocations), then the fastest of the timed ones."""
    timer = EpochTimer()
    model.fit(x, y, batch_size=batch_size, epochs=1 + timed_epochs, shuffle=True, verbose=0, callbacks=[timer])
    return min(timer.seconds[1:])


def seed_cnn():
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 5, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 5, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(1024, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    if model.count_params() != SEED_CNN_PARAMS:
        raise ValueError(f"expected the seed CNN's {SEED_CNN_PARAMS} parameters, got {model.count_params()}")
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def idx_images(path):
    """An IDX3 file of unsigned bytes (MNIST's format, gzipped) as float32 images in [0, 1]."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(data, np.uint8, n * rows * cols, 16).reshape(n, rows, cols, 1).astype(np.float32) / 255


def cnn_images(options, rng):
    n = options["images"]
    if options.get("mnist"):
        x = idx_images(os.path.join(options["mnist"], "train-images-idx3-ubyte.gz"))[:n]
        with gzip.open(os.path.join(options["mnist"], "train-labels-idx1-ubyte.gz"), "rb") as f:
            labels = np.frombuffer(f.read(), np.uint8, len(x), 8)
    else:
        x = rng.random((n, 28, 28, 1), dtype=np.float32)
        labels = rng.integers(0, 10, n)
    return x, np.eye(10, dtype=np.float32)[labels]


def cnn_train_epochs(options, rng):
    x, y = cnn_images(options, rng)
    seconds = steady_epoch_seconds(seed_cnn(), x, y, 32, options["timedEpochs"])
    return {"value": len(x) / seconds, "unit": "samples/s", "data": "mnist" if options.get("mnist") else "synthetic"}


def cnn_predict(options, rng):
    model = seed_cnn()
    batch = options["batchSize"]
    x = rng.random((batch * options["batches"], 28, 28, 1), dtype=np.float32)
    model.predict(x, batch_size=batch, verbose=0)  # warm-up: a whole pass, as ours
    best = float("inf")
    for _ in range(options.get("rounds", 1)):  # the fastest pass, as ours
        start = time.perf_counter()
        model.predict(x, batch_size=batch, verbose=0)
        best = min(best, time.perf_counter() - start)
    return {"value": len(x) / best, "unit": "samples/s", "call": "model.predict"}


def cnn_latency(options, rng):
    model = seed_cnn()
    x = rng.random((1, 28, 28, 1), dtype=np.float32)

    def ms_per_call(call):
        for _ in range(options["warmup"]):
            np.asarray(call())
        start = time.perf_counter()
        for _ in range(options["calls"]):
            np.asarray(call())  # the probabilities on the host, as ours reads them
        return (time.perf_counter() - start) * 1000 / options["calls"]

    timings = {
        "model(x, training=False)": ms_per_call(lambda: model(x, training=False)),
        "predict_on_batch": ms_per_call(lambda: model.predict_on_batch(x)),
    }
    call = min(timings, key=timings.get)
    return {"value": timings[call], "unit": "ms/call", "call": call, "timings": timings}


def random_walk_windows(n, rng):
    series = 0.5 + np.cumsum((rng.random(n + 20) - 0.5) * 0.02)
    x = np.stack([series[i : i + 20] for i in range(n)])[..., None].astype(np.float32)
    return x, series[20:, None].astype(np.float32)


def recurrent_epoch(options, rng):
    if options["cell"] == "gru":
        # tfjs' GRU applies the reset gate before the matrix product (Keras' reset_after=False)
        recurrent = keras.layers.GRU(50, activation="relu", reset_after=False)
    else:
        recurrent = keras.layers.LSTM(50, activation="relu")
    model = keras.Sequential([keras.Input((20, 1)), recurrent, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    x, y = random_walk_windows(options["windows"], rng)
    return {"value": steady_epoch_seconds(model, x, y, 32, options["timedEpochs"]), "unit": "s/epoch"}


def dense_table_epoch(options, rng):
    model = keras.Sequential(
        [keras.Input((options["inputs"],))]
        + [keras.layers.Dense(units, activation="relu") for units in options["hidden"]]
        + [keras.layers.Dense(options["classes"], activation="softmax")]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="categorical_crossentropy", metrics=["accuracy"])
    x = rng.random((options["rows"], options["inputs"]), dtype=np.float32)
    y = np.eye(options["classes"], dtype=np.float32)[rng.integers(0, options["classes"], options["rows"])]
    seconds = steady_epoch_seconds(model, x, y, options["batchSize"], options["timedEpochs"])
    return {"value": seconds, "unit": "s/epoch"}


WORKLOADS = {
    "cnn-train-epochs": cnn_train_epochs,
    "cnn-predict": cnn_predict,
    "cnn-latency": cnn_latency,
    "lstm-epoch": lambda options, rng: recurrent_epoch({**options, "cell": "lstm"}, rng),
    "gru-epoch": lambda options, rng: recurrent_epoch({**options, "cell": "gru"}, rng),
    "dense-table-epoch": dense_table_epoch,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in WORKLOADS:
        print(f"usage: bench_keras.py {'|'.join(WORKLOADS)} OPTIONS_JSON", file=sys.stderr)
        sys.exit(2)
    keras.utils.set_random_seed(1)
    result = WORKLOADS[sys.argv[1]](json.loads(sys.argv[2]), np.random.default_rng(1))
    threading = tf.config.threading
    result.update(
        tensorflow=tf.__version__,
        keras=keras.__version__,
        # 0 means TensorFlow's default: as many as the machine has cores
        intraOpThreads=threading.get_intra_op_parallelism_threads(),
        interOpThreads=threading.get_inter_op_parallelism_threads(),
        cores=os.cpu_count(),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
