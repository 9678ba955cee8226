/**
 * Random image augmentation while training, Keras' preprocessing layers as one step: each image of
 * each epoch gets its own draw. Every range is symmetric around "unchanged"; 0 (or false) turns a part off.
 */
export interface AugmentOptions {
  /** Shift by up to this fraction of the height (vertically) and of the width (horizontally). */
  translate?: number;
  /** Rotate by up to this many degrees either way. */
  rotate?: number;
  /** Scale by a factor in [1 - zoom, 1 + zoom] (the same factor for both axes). */
  zoom?: number;
  /** Mirror left-right with probability 1/2. */
  flip?: boolean;
  /** Scale each channel's distance from its mean by a factor in [1 - contrast, 1 + contrast], then clip to [0, 1]. */
  contrast?: number;
  /**
   * What the pixels moved in from outside the image are: 'nearest' (the default, as in Keras'
   * ImageDataGenerator) repeats the edge pixel, 'constant' is 0 (black). Not 'reflect' (the default
   * of Keras' RandomRotation and friends) or 'wrap': tfjs 4.22's wasm Transform kernel maps points
   * left of or above the image wrongly in those modes (augment-images.spec.ts shows it).
   */
  fill?: 'nearest' | 'constant';
}

/** Whether the options move pixels (one affine transform per image) or change contrast at all. */
export function augments(options: AugmentOptions | undefined): options is AugmentOptions {
  return !!options && (geometric(options) || (options.contrast ?? 0) > 0);
}

export function geometric(options: AugmentOptions): boolean {
  return (options.translate ?? 0) > 0 || (options.rotate ?? 0) > 0 || (options.zoom ?? 0) > 0 || !!options.flip;
}
