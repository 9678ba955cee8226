import { LAYERS_MODEL, tensorPort } from '@stagegraph/core-tensor/ports';
import { DataError, defineStage, port } from '@stagegraph/pipeline';
import { layerShapeProblem } from '../layer-shapes.js';
import { CLASS_NAMES, IMAGES, ONE_HOT_LABELS, TIMING, TRAINING_HISTORY } from '@stagegraph/contracts';
import { z } from 'zod';
import { layerSpecSchema, ORIGIN_MNIST_LAYERS } from '../layer-spec.js';

const params = z.strictObject({
  layers: z
    .array(layerSpecSchema)
    .min(1)
    .default(ORIGIN_MNIST_LAYERS)
    .describe('the network, input to output; the default is the origin MNIST CNN'),
  epochs: z.number().int().min(1).max(1000).default(10).describe('passes over the training set, at most'),
  batchSize: z.number().int().min(1).max(65536).default(32).describe('samples per gradient step'),
  learningRate: z.number().gt(0).max(10).default(0.001).describe("Adam's step size"),
  patience: z.number().int().min(0).default(3).describe('early stopping on validation loss; 0 turns it off'),
  validationSplit: z
    .number()
    .min(0)
    .lt(1)
    .default(0.1)
    .describe('fraction of the training set (its last rows) held out to validate each epoch'),
  monitor: z
    .enum(['val_loss', 'val_acc', 'loss', 'acc'])
    .default('val_loss')
    .describe('what early stopping, best weights and reduceLrOnPlateau watch'),
  restoreBestWeights: z
    .boolean()
    .default(true)
    .describe('end with the weights of the best epoch by `monitor`, not the last'),
  reduceLrOnPlateau: z
    .strictObject({
      factor: z.number().gt(0).lt(1),
      patience: z.number().int().min(1),
      minLr: z.number().min(0).default(0),
    })
    .optional()
    .describe('multiply the learning rate by factor after patience epochs without improvement of the validation loss'),
  augment: z
    .strictObject({
      translate: z.number().min(0).max(0.5).default(0).describe('shift by up to this fraction of height and width'),
      rotate: z.number().min(0).max(180).default(0).describe('rotate by up to this many degrees either way'),
      zoom: z.number().min(0).lt(1).default(0).describe('scale by a factor in [1 - zoom, 1 + zoom]'),
      flip: z.boolean().default(false).describe('mirror left-right half of the time'),
      contrast: z
        .number()
        .min(0)
        .max(1)
        .default(0)
        .describe('scale contrast by a factor in [1 - contrast, 1 + contrast]'),
      fill: z
        .enum(['nearest', 'constant'])
        .default('nearest')
        .describe('pixels moved in from outside the image: copies of the edge pixel, or 0 (black)'),
    })
    .optional()
    .describe(
      'random changes to each training image every epoch (seeded; never the validation images): translate (up to this fraction of height and width), rotate (degrees either way), zoom (scale 1 ± zoom), flip (left-right), contrast (factor 1 ± contrast), fill ("nearest" edge pixels or "constant" 0); e.g. {"translate": 0.1, "rotate": 10, "zoom": 0.1}; off when absent',
    ),
});

export const trainClassifierStage = defineStage({
  type: 'models-cnn.train',
  version: 4, // 4: dropout draws a new mask every step (seededDropout); augment
  prefersThreads: true,
  description:
    'Trains an image classifier (Adam, categorical cross-entropy, accuracy) with seeded shuffling and early stopping that keeps the best weights.',
  params,
  inputs: {
    x: tensorPort(IMAGES),
    y: tensorPort(ONE_HOT_LABELS),
    xValidation: tensorPort(IMAGES, {
      optional: true,
      description: "validation images of the data stage's own split: then validationSplit is not used",
    }),
    yValidation: tensorPort(ONE_HOT_LABELS, { optional: true, description: "xValidation's labels" }),
    classes: port(CLASS_NAMES, {
      optional: true,
      description: "the data stage's class names: stored in the model, for predict, serve and the figures",
    }),
  },
  outputs: {
    model: port(LAYERS_MODEL),
    history: port(TRAINING_HISTORY, { description: 'per-epoch loss, accuracy and their validation values' }),
    timing: port(TIMING, { description: 'seconds the training took, samples and epochs' }),
  },
  async run(inputs, p, ctx) {
    const { x, y, xValidation, yValidation, classes } = inputs;
    if ((xValidation === undefined) !== (yValidation === undefined))
      throw new DataError(`${ctx.stageId}.inputs: expected xValidation and yValidation together, got only one of them`);
    if (x.rank !== 4)
      throw new DataError(
        `${ctx.stageId}.inputs.x: expected images of shape [n, height, width, channels], got shape [${x.shape}]`,
      );
    const last = p.layers[p.layers.length - 1];
    if (last.type !== 'dense' || (last.units !== 'classes' && last.units !== y.shape[1])) {
      throw new DataError(
        `${ctx.stageId}.params.layers: expected the last layer to be dense with ${y.shape[1]} units (one per class, or "classes"), got ${JSON.stringify(last)}`,
      );
    }
    if (classes && classes.names.length !== y.shape[1])
      throw new DataError(
        `${ctx.stageId}.inputs.classes: expected ${y.shape[1]} class names (one per label column), got ${classes.names.length}`,
      );
    const inputShape = x.shape.slice(1) as [number, number, number];
    const problem = layerShapeProblem(inputShape, p.layers, y.shape[1]!);
    if (problem) throw new DataError(`${ctx.stageId}.params.layers: ${problem}`);
    const validationData =
      xValidation && yValidation ? ([xValidation, yValidation] as [typeof x, typeof y]) : undefined;
    if (validationData && validationData[0].shape[0] === 0 && p.monitor.startsWith('val_'))
      throw new DataError(
        `${ctx.stageId}.inputs.xValidation: expected validation images to monitor ${p.monitor}, got none (a larger validationFraction or more images per class in the data stage; or monitor "loss")`,
      );
    // TensorFlow.js loads when a stage that trains runs
    const [{ fitInStage, setClassNames }, { buildClassifier }] = await Promise.all([
      import('@stagegraph/core-tensor'),
      import('../build-classifier.js'),
    ]);
    const model = buildClassifier({
      inputShape,
      layers: p.layers,
      learningRate: p.learningRate,
      seed: ctx.seed,
      classCount: y.shape[1],
    });
    if (classes) setClassNames(model, classes);
    ctx.log(`${model.countParams().toLocaleString('en')} parameters`);
    const started = performance.now();
    const history = await fitInStage(model, x, y, { ...p, validationData }, ctx);
    return {
      model,
      history,
      timing: { seconds: (performance.now() - started) / 1000, samples: x.shape[0], epochs: history.epochs.length },
    };
  },
});
