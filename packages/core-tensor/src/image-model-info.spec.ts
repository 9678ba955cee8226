import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageModelInfo, setClassNames } from './image-model-info.js';
import { loadLayersModel, saveLayersModel } from './model-codec.js';
import * as tf from './tf.js';

function classifier(shape: [number, number, number], classes: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: shape }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}

describe('image model info', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'model-info-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps class names in model.json through a save and a load', async () => {
    const model = classifier([12, 16, 3], 3);
    setClassNames(model, { names: ['cat', 'dog', 'owl'], images: 'resized' });
    await saveLayersModel(model, dir);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).userDefinedMetadata.classes.names).toEqual([
      'cat',
      'dog',
      'owl',
    ]);
    const loaded = await loadLayersModel(dir);
    expect(imageModelInfo(loaded, dir)).toEqual({
      classNames: ['cat', 'dog', 'owl'],
      images: 'resized',
      height: 12,
      width: 16,
      channels: 3,
    });
    model.dispose();
    loaded.dispose();
  });

  it('reads a model without names as numbered classes, and a 28x28x1 ten-class one as MNIST digits', () => {
    const digits = classifier([28, 28, 1], 10);
    const other = classifier([8, 8, 3], 4);
    expect(imageModelInfo(digits, 'd')).toMatchObject({
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      images: 'mnist-digits',
    });
    expect(imageModelInfo(other, 'o')).toMatchObject({ classNames: ['0', '1', '2', '3'], images: 'resized' });
    digits.dispose();
    other.dispose();
  });

  it('refuses stored names that do not match the outputs, naming the model', () => {
    const model = classifier([8, 8, 1], 3);
    setClassNames(model, { names: ['a', 'b'] });
    expect(() => imageModelInfo(model, 'runs/x/models/train')).toThrow(
      'runs/x/models/train: expected 3 class names (one per output), got 2',
    );
    model.dispose();
  });
});
