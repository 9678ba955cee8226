import type { LayerSpec } from './layer-spec.js';

/** More than this would not fit wasm's 4 GB with Adam's two moments beside the weights (and would not train here). */
export const MAX_PARAMETERS = 100_000_000;

type Shape = number[];

/** A window's output length along one axis, as Keras computes it. */
const windowed = (size: number, window: number, stride: number, padding: 'same' | 'valid') =>
  padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;

/** One layer's output shape and parameter count for an input shape (no batch axis). */
function layerOutput(spec: LayerSpec, input: Shape, classCount: number): { shape: Shape; params: number } {
  const [height, width, channels] = input;
  switch (spec.type) {
    case 'conv2d': {
      const [kh, kw] = typeof spec.kernelSize === 'number' ? [spec.kernelSize, spec.kernelSize] : spec.kernelSize;
      return {
        shape: [
          windowed(height, kh, spec.strides, spec.padding),
          windowed(width, kw, spec.strides, spec.padding),
          spec.filters,
        ],
        params: kh * kw * channels * spec.filters + spec.filters,
      };
    }
    case 'maxPooling2d': {
      const stride = spec.strides ?? spec.poolSize;
      return {
        shape: [
          windowed(height, spec.poolSize, stride, spec.padding),
          windowed(width, spec.poolSize, stride, spec.padding),
          channels,
        ],
        params: 0,
      };
    }
    case 'flatten':
      return { shape: [input.reduce((a, b) => a * b, 1)], params: 0 };
    case 'dense': {
      const units = spec.units === 'classes' ? classCount : spec.units;
      return { shape: [...input.slice(0, -1), units], params: (input.at(-1)! + 1) * units };
    }
    case 'dropout':
      return { shape: input, params: 0 };
    case 'batchNormalization':
      return { shape: input, params: 4 * input.at(-1)! };
  }
}

/**
 * A layer list on images of `inputShape`, planned without making any weight: its parameter count,
 * or the first layer whose output is empty (images too small for the kernels and pools: the wasm
 * backend would fail deep inside) or that cannot take its input.
 */
export function planLayers(
  inputShape: [number, number, number],
  layers: LayerSpec[],
  classCount: number,
): { params: number } | { problem: string } {
  let shape: Shape = inputShape;
  let params = 0;
  for (const [i, spec] of layers.entries()) {
    if ((spec.type === 'conv2d' || spec.type === 'maxPooling2d') && shape.length !== 3)
      return {
        problem: `layer ${i + 1} (${spec.type}) gets ${shape.join(' x ')}: expected height x width x channels (a 2D layer after flatten?)`,
      };
    const out = layerOutput(spec, shape, classCount);
    if (out.shape.some((n) => !(n >= 1)))
      return {
        problem: `layer ${i + 1} (${spec.type}) gets ${shape.join(' x ')} and would output ${out.shape.join(' x ')}: the images (${inputShape.join(' x ')}) are too small for these layers`,
      };
    params += out.params;
    shape = out.shape;
  }
  return { params };
}

/** What is wrong with a layer list on these images before it is built (planLayers), or a network too large to build. */
export function layerShapeProblem(
  inputShape: [number, number, number],
  layers: LayerSpec[],
  classCount: number,
): string | undefined {
  const plan = planLayers(inputShape, layers, classCount);
  if ('problem' in plan) return plan.problem;
  if (plan.params > MAX_PARAMETERS)
    return `the network would have ${plan.params.toLocaleString('en')} parameters on ${inputShape.join(' x ')} images, more than ${MAX_PARAMETERS.toLocaleString('en')}: smaller images (the data stage's size) or more pooling before flatten`;
  return undefined;
}
