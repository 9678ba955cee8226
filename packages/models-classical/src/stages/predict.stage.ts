import { tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { CLASS_PROBABILITIES, IMAGES, TIMING } from '@stagegraph/contracts';
import { z } from 'zod';
import { CLASSICAL_MODEL } from '../classical-model.js';

export const predictClassicalStage = defineStage({
  type: 'models-classical.predict',
  version: 1,
  description:
    "A classical classifier's predictions for images, as one-hot class rows (these models give a class, not calibrated probabilities), and how long they took.",
  params: z.strictObject({}),
  inputs: { model: port(CLASSICAL_MODEL), x: tensorPort(IMAGES) },
  outputs: {
    probabilities: tensorPort(CLASS_PROBABILITIES, { description: 'one-hot rows of the predicted class' }),
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
    const predicted = classifiers[model.kind].predict(model.trained, featureRows(x, model.pca));
    const seconds = (performance.now() - started) / 1000;
    return {
      probabilities: tf.tidy(() => tf.oneHot(tf.tensor1d(predicted, 'int32'), model.classes).toFloat()),
      timing: { seconds, samples: x.shape[0] },
    };
  },
});
