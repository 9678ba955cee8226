import { CLASS_NAMES, numberedClassNames, type ClassNames } from '@stagegraph/contracts';
import { DataError } from '@stagegraph/pipeline';
import type * as tf from './tf.js';

/** What predict and serve need to know of an image classifier beyond its weights. */
export interface ImageModelInfo {
  /** Class k's name (one-hot column k). */
  classNames: string[];
  /** How a new image file becomes an input: MNIST's digit steps, or a plain resize. */
  images: 'mnist-digits' | 'resized';
  height: number;
  width: number;
  channels: number;
}

/** A layer shape as people write it: `[n, 20, 1]` (the batch dimension, null in tfjs, is n). */
const shapeText = (shape: (number | null)[]) => `[${shape.map((d) => d ?? 'n').join(', ')}]`;

/** Stores the class names in the model (saved in model.json's userDefinedMetadata). */
export function setClassNames(model: tf.LayersModel, classes: ClassNames): void {
  model.setUserDefinedMetadata({ ...(model.getUserDefinedMetadata() ?? {}), classes });
}

/**
 * An image classifier's class names, input size and image steps. A model saved before class names
 * were stored (or by another tool) has classes "0".."k-1"; a 28x28x1 one with 10 classes is read as
 * an MNIST digit model, as every such model was.
 */
export function imageModelInfo(model: tf.LayersModel, where: string): ImageModelInfo {
  const [, height, width, channels] = model.inputs[0].shape;
  const units = model.outputs[0].shape[1];
  if (
    ![height, width, channels, units].every((d) => typeof d === 'number' && d > 0) ||
    model.inputs[0].shape.length !== 4
  )
    throw new DataError(
      `${where}: expected an image classifier (input [n, height, width, channels], output [n, classes]), got a model taking ${shapeText(model.inputs[0].shape)} and answering ${shapeText(model.outputs[0].shape)}`,
    );
  const stored = (model.getUserDefinedMetadata() as { classes?: unknown } | undefined)?.classes;
  const problem = stored === undefined ? undefined : CLASS_NAMES.check?.(stored);
  if (problem) throw new DataError(`${where}/model.json userDefinedMetadata.classes: ${problem}`);
  const classes = stored as ClassNames | undefined;
  if (classes && classes.names.length !== units)
    throw new DataError(`${where}: expected ${units} class names (one per output), got ${classes.names.length}`);
  const digitsShaped = height === 28 && width === 28 && channels === 1 && units === 10;
  return {
    classNames: classes?.names ?? numberedClassNames(units as number),
    images: classes?.images ?? (digitsShaped ? 'mnist-digits' : 'resized'),
    height: height as number,
    width: width as number,
    channels: channels as number,
  };
}
