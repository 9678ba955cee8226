import type { Codec } from '@stagegraph/pipeline';
import { writeFileAtomic } from '@stagegraph/pipeline';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from './tf.js';

interface TensorHeader {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
}

/** A tensor as `<name>.json` (dtype, shape) and `<name>.bin` (the values, little-endian). TensorFlow.js is loaded by the first `load`. */
export const tensorCodec: Codec<tf.Tensor> = {
  kind: 'tensor',
  async save(tensor, dir, name) {
    if (tensor.dtype === 'string' || tensor.dtype === 'complex64')
      throw new Error(`cannot store a ${tensor.dtype} tensor`);
    const header: TensorHeader = { dtype: tensor.dtype as TensorHeader['dtype'], shape: tensor.shape };
    const values = await tensor.data();
    const bin = join(dir, `${name}.bin`);
    const json = join(dir, `${name}.json`);
    await writeFileAtomic(bin, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    await writeFileAtomic(json, JSON.stringify(header));
    return [json, bin];
  },
  async load(dir, name) {
    const header = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as TensorHeader;
    const bytes = await readFile(join(dir, `${name}.bin`));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const values =
      header.dtype === 'float32'
        ? new Float32Array(buffer)
        : header.dtype === 'int32'
          ? new Int32Array(buffer)
          : new Uint8Array(buffer);
    const expected = header.shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected)
      throw new Error(`${name}.bin holds ${values.length} values, header says ${expected}`);
    const { tensor } = await import('./tf.js');
    return tensor(values, header.shape, header.dtype);
  },
  dispose(tensor) {
    tensor.dispose();
  },
};
