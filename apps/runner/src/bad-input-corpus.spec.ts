import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { saveLayersModel, selectBackend, tf } from '@stagegraph/core-tensor';
import { encodeIdx } from '@stagegraph/preprocess';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { main } from './main.js';
import { captureOutput, tinyConfig } from './test-support/tiny-pipeline.js';

/**
 * Bad inputs a user meets, made here, each run through the CLI in-process: every one must end in
 * exit 2 with one-line errors naming the file or field, no stack trace, and no run folder written.
 */
let dir: string;
const cwd = process.cwd();
const good =
  'Date,Close\n' +
  Array.from(
    { length: 60 },
    (_, i) =>
      `2021-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${100 + i}`,
  ).join('\n') +
  '\n';

const csvCases: [string, string | Buffer, RegExp][] = [
  ['empty.csv', '', /empty\.csv \(resolved: .*\): expected CSV, JSON, Parquet or Arrow, got an empty file/],
  ['header-only.csv', 'Date,Close\n', /header-only\.csv: expected data rows after the header, got none/],
  [
    'no-column.csv',
    good.replace('Close', 'Price'),
    /no-column\.csv: expected a column "Close", got columns "Date", "Price"/,
  ],
  [
    'all-text.csv',
    'Date,Close\n2021-01-01,abc\n2021-01-02,n/a\n',
    /all-text\.csv: column "Close": expected numbers, got none in 2 rows/,
  ],
  [
    'bad-date.csv',
    'Date,Close\nyesterday,1\n',
    /bad-date\.csv: line 2, column "Date": expected a date, got "yesterday"/,
  ],
  [
    'duplicate-dates.csv',
    'Date,Close\n2021-01-01,1\n2021-01-01,2\n',
    /duplicate-dates\.csv: column "Date": expected one row per date, got "2021-01-01" twice/,
  ],
  [
    'unclosed-quote.csv',
    'Date,Close\n"2021-01-01,1\n',
    /unclosed-quote\.csv: line 2: expected a closing quote, got end of file/,
  ],
  [
    'binary-header.csv',
    Buffer.concat([Buffer.from('\x1b[2J\x1b]0;pwned\x07\u0000\u0001,Date\n'), Buffer.alloc(20, 0x9b)]),
    /binary-header\.csv \(resolved: .*\): expected CSV, JSON, Parquet or Arrow, got binary data \(first bytes 1b 5b 32 4a 1b 5d 30 3b\)/,
  ],
  [
    'terminal-header.csv',
    'Date,\x1b[2J\x1b]0;pwned\x07\n2021-01-01,1\n',
    /terminal-header\.csv: expected a column "Close", got columns "Date", "\\x1b\[2J\\x1b\]0;pwned\\x07"/,
  ],
  [
    'too-short.csv',
    'Date,Close\n2021-01-01,1\n2021-01-02,2\n2021-01-03,3\n2021-01-04,4\n2021-01-05,5\n2021-01-06,6\n',
    /train: expected more than seqLength=5 values to make windows, got 4/,
  ],
];

const configCases: [string, unknown, RegExp][] = [
  [
    'wrong-type.json',
    { ...tinyConfig('good.csv'), seed: 'seven' },
    /wrong-type\.json: seed: expected number, got string/,
  ],
  ['unknown-key.json', { ...tinyConfig('good.csv'), stagse: {} }, /unknown key "stagse" \(did you mean "stages"\?\)/],
  [
    'missing-param.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      delete c.stages.load.params.path;
      return c;
    })(),
    /stages\.load\.params\.path: expected string, got undefined/,
  ],
  [
    'negative-epochs.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.train.params.epochs = -1;
      return c;
    })(),
    /stages\.train\.params\.epochs: Too small: expected number to be >=1/,
  ],
  [
    'absurd-seq.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.windows.params.seqLength = 1e9;
      return c;
    })(),
    /stages\.windows\.params\.seqLength: Too big: expected number to be <=10000/,
  ],
  [
    'missing-stage.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.split.inputs.series = 'lod.series';
      return c;
    })(),
    /stages\.split\.inputs\.series: no stage "lod" \(did you mean "load"\?\)/,
  ],
  [
    'missing-port.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.split.inputs.series = 'load.serie';
      return c;
    })(),
    /has no output "serie" \(did you mean "series"\?\)/,
  ],
  [
    'bad-ref.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.split.inputs.series = 'load';
      return c;
    })(),
    /stages\.split\.inputs\.series: expected "<stageId>\.<port>", got "load"/,
  ],
  [
    'cycle.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.load.inputs = {};
      c.stages.split.inputs.series = 'scale.train';
      return c;
    })(),
    /cycle between stages/,
  ],
  [
    'bad-stage-id.json',
    { name: 'x', stages: { 'my stage': { type: 'preprocess.load-csv' } } },
    /stages\.my stage: a stage id starts with a letter and holds letters, digits, "_" or "-", got "my stage"/,
  ],
  ['no-stages.json', { name: 'x', stages: {} }, /stages: expected at least one stage, got none/],
  [
    'absurd-epochs.json',
    (() => {
      const c = tinyConfig('good.csv') as any;
      c.stages.train.params.epochs = 1e300;
      return c;
    })(),
    /^error: [^\n]*stages\.train\.params\.epochs: [^\n]*\n$/,
  ],
];

beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'sg-corpus-'));
  process.chdir(dir);
  await mkdir('runs');
  await writeFile('good.csv', good);
  for (const [name, text] of csvCases) await writeFile(name, text);
  for (const [name, config] of configCases) await writeFile(name, JSON.stringify(config));
  await writeFile('invalid.json', '{"name": "x",\n "stages": {,}}');
  await mkdir('idx');
});
afterAll(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

async function expectRefused(args: string[], message: RegExp) {
  const output = captureOutput();
  const backend = ['run', 'predict', 'serve'].includes(args[0]) ? ['--backend', 'cpu'] : []; // the commands that take one
  const code = await main([...args, ...backend], output);
  const err = output.stderr();
  expect({ code, err }).toMatchObject({ code: 2, err: expect.stringMatching(message) });
  expect(err).not.toMatch(/\n\s+at /); // no stack trace
  for (const line of err.trim().split('\n')) expect(line).toMatch(/^error: /);
  expect((await readdir('runs')).filter((name) => !name.startsWith('.'))).toEqual([]);
}

describe('bad input corpus: each refused with exit 2 and one line, nothing written', () => {
  it.each(csvCases.map(([name, , message]) => [name, message] as const))('CSV %s', async (name, message) => {
    await writeFile('pipeline.json', JSON.stringify(tinyConfig(name)));
    await expectRefused(['run', 'pipeline.json', '--set', 'stages.load.params.invalid=drop'], message);
  });

  it('CSV with a bad cell under invalid=fail', async () => {
    await writeFile('cell.csv', good.replace(',105\n', ',1o5\n'));
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('cell.csv')));
    await expectRefused(
      ['run', 'pipeline.json', '--set', 'stages.load.params.invalid=fail'],
      /cell\.csv: line 7, column "Close": expected a number, got "1o5"/,
    );
  });

  it('a missing CSV file', async () => {
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('nowhere.csv')));
    await expectRefused(
      ['run', 'pipeline.json'],
      /nowhere\.csv \(resolved: .*nowhere\.csv, cwd .*\): expected a CSV, JSON, Parquet or Arrow file, got no such file/,
    );
  });

  it.each(configCases.map(([name, , message]) => [name, message] as const))('config %s', async (name, message) => {
    await expectRefused(['run', name], message);
  });

  it('config with invalid JSON, a missing config file, an unknown backend and an unknown --set stage', async () => {
    await expectRefused(
      ['run', 'invalid.json'],
      /invalid\.json: invalid JSON at line 2, column 13: expected a string, got ","/,
    );
    await expectRefused(['run', 'none.json'], /none\.json: no such file/);
    const output = captureOutput();
    expect(await main(['run', 'pipeline.json', '--backend', 'tpu'], output)).toBe(2);
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('good.csv')));
    await expectRefused(
      ['run', 'pipeline.json', '--set', 'stages.trian.params.epochs=1'],
      /--set stages\.trian\.params\.epochs=1: no stage "trian" \(did you mean "train"\?\)/,
    );
  });

  it('config with a leading-zero number, a __proto__ stage id or params key, and --set onto a prototype', async () => {
    await writeFile('leading-zero.json', '{"seed": 01}');
    await expectRefused(
      ['run', 'leading-zero.json'],
      /^error: leading-zero\.json: invalid JSON at line 1, column 11: expected "," or "}", got "1"\n$/,
    );
    const good = tinyConfig('good.csv');
    await writeFile('proto-stage.json', JSON.stringify(good).replace('"load":', '"__proto__":'));
    await expectRefused(
      ['run', 'proto-stage.json'],
      /proto-stage\.json: stages\.__proto__ \(line 1\): "__proto__" is not allowed as a key/,
    );
    await writeFile(
      'proto-params.json',
      JSON.stringify(good).replace('"params":{"path"', '"params":{"constructor":{"prototype":{"x":1}},"path"'),
    );
    await expectRefused(['run', 'proto-params.json'], /"constructor" is not allowed as a key/);
    await writeFile('pipeline.json', JSON.stringify(good));
    await expectRefused(
      ['run', 'pipeline.json', '--set', '__proto__.polluted=1'],
      /--set __proto__\.polluted=1: "__proto__" is not allowed as a key/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a CSV path that is a directory or a named pipe (which would block forever) is refused at once', async () => {
    await mkdir('folder.csv', { recursive: true });
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('folder.csv')));
    await expectRefused(
      ['run', 'pipeline.json'],
      /stages\.load \(preprocess\.load-csv\): folder\.csv \(resolved: .*\): expected a CSV, JSON, Parquet or Arrow file, got a directory/,
    );
    execFileSync('mkfifo', ['pipe.csv']);
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('pipe.csv')));
    await expectRefused(
      ['run', 'pipeline.json'],
      /pipe\.csv \(resolved: .*\): expected a CSV, JSON, Parquet or Arrow file, got a named pipe \(FIFO\)/,
    );
    await expectRefused(['validate', 'pipe.csv'], /pipe\.csv: expected a JSON config file, got a named pipe \(FIFO\)/);
  });

  it('CSV cells in hex or binary and days that do not exist are not numbers or dates', async () => {
    await writeFile('hex.csv', good.replace(',105\n', ',0x10\n'));
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('hex.csv')));
    await expectRefused(
      ['run', 'pipeline.json', '--set', 'stages.load.params.invalid=fail'],
      /hex\.csv: line 7, column "Close": expected a number, got "0x10"/,
    );
    await writeFile('feb30.csv', good.replace('2021-02-02,', '2021-02-30,'));
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('feb30.csv')));
    await expectRefused(
      ['run', 'pipeline.json'],
      /feb30\.csv: line \d+, column "Date": expected a date, got "2021-02-30"/,
    );
  });

  it('configs nested too deep, control characters in the name and a name too long for a folder are refused in one line', async () => {
    await writeFile('deep.json', '['.repeat(100_000) + ']'.repeat(100_000));
    await expectRefused(
      ['validate', 'deep.json'],
      /^error: deep\.json: invalid JSON at line 1, column 101: expected at most 100 levels of nesting, got "\["\n$/,
    );
    await writeFile('named.json', JSON.stringify({ ...tinyConfig('good.csv'), name: 'tiny\u0000\u001b[31mX' }));
    await expectRefused(['validate', 'named.json'], /named\.json: name: expected a name without control characters/);
    await writeFile('long.json', JSON.stringify({ ...tinyConfig('good.csv'), name: 'x'.repeat(300) }));
    await expectRefused(['run', 'long.json'], /long\.json: name: expected a name of at most 200 characters/);
  });

  it('a wire whose ends carry different contracts, naming both ends', async () => {
    const stock = join(cwd, '..', '..', 'pipelines', 'stock-lstm.json');
    await expectRefused(
      ['validate', stock, '--set', 'stages.unscale.inputs.scaler=split.train'],
      /^error: \S+stock-lstm\.json: stages\.unscale\.inputs\.scaler: unscale\.scaler expects a scaler, split\.train gives a series\n$/,
    );
    await expectRefused(
      ['validate', stock, '--set', 'stages.train.inputs.x=windows.yTrain'],
      /stages\.train\.inputs\.x: train\.x expects a window batch \[n, steps, features\], windows\.yTrain gives a target column \[n, 1\]/,
    );
  });

  it('options without a value or with a number yargs would misread', async () => {
    await writeFile('pipeline.json', JSON.stringify(tinyConfig('good.csv')));
    await expectRefused(
      ['run', 'pipeline.json', '--set'],
      /^error: Not enough arguments following: set \(see stagegraph --help\)\n$/,
    );
    await expectRefused(['run', 'pipeline.json', '--out'], /Not enough arguments following: out/);
    await expectRefused(
      ['run', 'pipeline.json', '--jobs', 'abc'],
      /--jobs: expected a whole number from 1 to \d+, got "abc"/,
    );
    await expectRefused(['serve', '--port', '0x50'], /--port: expected a whole number from 0 to 65535, got "0x50"/);
    await expectRefused(['serve', '--port', ''], /--port: expected a whole number from 0 to 65535, got ""/);
    await expectRefused(
      ['cache', 'clean', '--older-than', '-1'],
      /--older-than: expected a number of 0 or more, got "-1"/,
    );
    await expectRefused(
      ['cache', 'clean', '--older-than', 'abc'],
      /--older-than: expected a number of 0 or more, got "abc"/,
    );
  });

  it('MNIST files: a count of 0, and more data than the header says', async () => {
    await mkdir('idx-odd', { recursive: true });
    const config = { name: 'mnist', stages: { data: { type: 'preprocess.mnist', params: { dataDir: 'idx-odd' } } } };
    await writeFile('mnist-odd.json', JSON.stringify(config));
    const write = async (images: Uint8Array, labels: Uint8Array) => {
      for (const prefix of ['train', 't10k']) {
        await writeFile(join('idx-odd', `${prefix}-images-idx3-ubyte`), images);
        await writeFile(join('idx-odd', `${prefix}-labels-idx1-ubyte`), labels);
      }
    };
    await write(encodeIdx([0, 28, 28], new Uint8Array(0)), encodeIdx([0], new Uint8Array(0)));
    await expectRefused(
      ['run', 'mnist-odd.json'],
      /train-images-idx3-ubyte: expected at least one image, got a count of 0/,
    );
    await write(encodeIdx([1, 28, 28], new Uint8Array(784 + 16)), encodeIdx([1], Uint8Array.from([3])));
    await expectRefused(
      ['run', 'mnist-odd.json'],
      /train-images-idx3-ubyte: expected 784 bytes of data after the header \(1x28x28\), got 800: the file is longer than its header says/,
    );
  });

  it('predict: a truncated model.json, missing weights, a forecasting model, a folder without images', async () => {
    const digit = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } })
      .composite([
        {
          input: Buffer.from('<svg width="40" height="40"><rect x="16" y="5" width="8" height="30"/></svg>'),
          top: 0,
          left: 0,
        },
      ])
      .png()
      .toBuffer();
    await mkdir('images', { recursive: true });
    await writeFile(join('images', 'one.png'), digit);
    await mkdir('no-images', { recursive: true });
    await writeFile(join('no-images', 'notes.txt'), 'nothing to see');

    const forecaster = tf.sequential({
      layers: [tf.layers.lstm({ units: 2, inputShape: [20, 1] }), tf.layers.dense({ units: 1 })],
    });
    await saveLayersModel(forecaster, 'forecaster');
    forecaster.dispose();
    await expectRefused(
      ['predict', 'images', '--model', 'forecaster'],
      /forecaster: expected an image classifier \(input \[n, height, width, channels\], output \[n, classes\]\), got a model taking \[n, 20, 1\] and answering \[n, 1\]/,
    );

    const classifier = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    await saveLayersModel(classifier, 'classifier');
    classifier.dispose();
    await expectRefused(
      ['predict', 'no-images', '--model', 'classifier'],
      /no-images: expected image files \(.*\), got a folder without any/,
    );
    await rm(join('classifier', 'weights.bin'));
    await expectRefused(
      ['predict', 'images', '--model', 'classifier'],
      /classifier\/model\.json: expected a TensorFlow\.js layers model .*, got a weights file that cannot be used: weights\.bin is missing\n$/,
    );
    const text = await readFile(join('forecaster', 'model.json'), 'utf8');
    await writeFile(join('forecaster', 'model.json'), text.slice(0, text.length / 2));
    await expectRefused(
      ['predict', 'images', '--model', 'forecaster'],
      /forecaster\/model\.json: expected a TensorFlow\.js layers model .*, got invalid JSON/,
    );
  });

  it('MNIST files: wrong magic, truncated, count mismatch, wrong image size', async () => {
    const write = async (images: Uint8Array, labels: Uint8Array) => {
      for (const prefix of ['train', 't10k']) {
        await writeFile(join('idx', `${prefix}-images-idx3-ubyte.gz`), gzipSync(images));
        await writeFile(join('idx', `${prefix}-labels-idx1-ubyte.gz`), gzipSync(labels));
      }
    };
    const config = { name: 'mnist', stages: { data: { type: 'preprocess.mnist', params: { dataDir: 'idx' } } } };
    await writeFile('mnist.json', JSON.stringify(config));
    const images = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    const labels = encodeIdx([2], Uint8Array.from([3, 4]));
    await write(labels, labels);
    await expectRefused(
      ['run', 'mnist.json'],
      /train-images-idx3-ubyte\.gz: expected IDX magic number 0x00000803 \(images\), got 0x00000801/,
    );
    await write(images.subarray(0, 500), labels);
    await expectRefused(
      ['run', 'mnist.json'],
      /truncated: the header promises 1568 bytes of data \(2x28x28\), got 484/,
    );
    await write(images, encodeIdx([3], Uint8Array.from([1, 2, 3])));
    await expectRefused(['run', 'mnist.json'], /expected 2 labels \(one per image in .*\), got 3/);
    await write(encodeIdx([2, 20, 20], new Uint8Array(800)), labels);
    await expectRefused(['run', 'mnist.json'], /expected 28x28 images, got 20x20/);
    await rm(join('idx', 't10k-labels-idx1-ubyte.gz'));
    await expectRefused(['run', 'mnist.json'], /idx: expected the MNIST files, missing t10k-labels-idx1-ubyte\.gz/);
  });
});
