import { tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { CLASS_PROBABILITIES, IMAGES, TIMING } from '@stagegraph/contracts';
import { z } from 'zod';
import { CLASSICAL_MODEL } from '../classical-model.js';

export const predictClassicalStage = defineStage({
  type: 'models-classical.predict',
  version: 1,
  description:
    "A classical classifier's predictions for images, as class probabilities (the tree ensembles) or one-hot rows of the predicted class (SVM, kNN, logistic regression), and how long they took.",
  params: z.strictObject({}),
  inputs: { model: port(CLASSICAL_MODEL), x: tensorPort(IMAGES) },
  outputs: {
    probabilities: tensorPort(CLASS_PROBABILITIES, {
      description: 'class probabilities (tree ensembles), else one-hot rows of the predicted class',
    }),
    timing: port(TIMING),
  },
  async run(inputs, _p, ctx) {
    const { model, x } = inputs;
    if (x.shape.slice(1).join() !== model.inputShape.join()) {
      throw new DataError(
        `${ctx.stageId}.inputs.x: expected images of shape [n, ${model.inputShape}] as the model was trained on, got [${x.shape}]`,
      );
    }
    // the libraries and TensorFlow.js load when the stage runs
    const [{ tf }, { classifiers }, { featureRows }] = await Promise.all([
      import('@stagegraph/core-tensor'),
      import('../classifiers.js'),
      import('../features.js'),
    ]);
    const started = performance.now();
    const classifier = classifiers[model.kind];
    const rows = featureRows(x, model.pca);
    const probabilities = classifier.probabilities
      ? tf.tensor2d(Float32Array.from(classifier.probabilities(model.trained, rows)), [x.shape[0], model.classes])
      : tf.tidy(() =>
          tf.oneHot(tf.tensor1d(classifier.predict(model.trained, rows), 'int32'), model.classes).toFloat(),
        );
    const seconds = (performance.now() - started) / 1000;
    return { probabilities, timing: { seconds, samples: x.shape[0] } };
  },
});
