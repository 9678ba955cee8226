import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparationMismatch, TABLE_MODEL_CARD, type TableModelCard } from './table-model-card.js';
import { tableModelCodec } from './table-model-codec.js';
import type { TablePreparation } from './table-preparation.js';

const preparation: TablePreparation = {
  format: 'stagegraph-table-preparation',
  label: 'mpg',
  task: 'regression',
  steps: [
    { type: 'number', column: 'hp', median: 95, mean: 104, std: 38, indicator: true },
    { type: 'category', column: 'origin', categories: ['USA', 'Japan'], indicator: false },
  ],
  features: ['hp', 'hp=missing', 'origin=USA', 'origin=Japan'],
};
const classical: TableModelCard = {
  format: 'stagegraph-table-model-card',
  preparation,
  network: false,
  model: { kind: 'linear', trained: { weights: [1, 2] } },
};

describe('TABLE_MODEL_CARD', () => {
  it('takes a classical model or a network beside it, never both or neither', () => {
    expect(TABLE_MODEL_CARD.check!(classical)).toBeUndefined();
    expect(TABLE_MODEL_CARD.check!({ format: classical.format, preparation, network: true })).toBeUndefined();
    expect(TABLE_MODEL_CARD.check!({ ...classical, network: true })).toMatch(/either network: true .* or a classical/);
    expect(TABLE_MODEL_CARD.check!({ format: classical.format, preparation, network: false })).toMatch(/either/);
    expect(TABLE_MODEL_CARD.check!({ ...classical, preparation: { ...preparation, task: 'classification' } })).toBe(
      'expected two or more classes, got 0',
    );
    expect(TABLE_MODEL_CARD.check!({ ...classical, format: 'stagegraph-table-model' })).toMatch(
      /^expected a table model card/,
    );
  });

  it('names how a preparation differs from the model it is saved with', () => {
    expect(preparationMismatch(preparation, { label: 'mpg', features: preparation.features })).toBeUndefined();
    expect(preparationMismatch(preparation, { label: 'Origin', features: preparation.features })).toBe(
      'expected the preparation of the label "Origin" the model predicts, got one of "mpg"',
    );
    expect(preparationMismatch(preparation, { label: 'mpg', features: [...preparation.features].reverse() })).toMatch(
      /^expected the preparation that made the model's 4 features \(origin=Japan, origin=USA, hp=missing\.\.\.\)/,
    );
  });
});

describe('the table-model codec', () => {
  it('saves <dir>/<port>/table-model.json and reads back the same card', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-card-'));
    try {
      const files = await tableModelCodec.save(classical, dir, 'card');
      expect(files).toEqual([join(dir, 'card', 'table-model.json')]);
      expect(await tableModelCodec.load(dir, 'card')).toEqual(classical);
      expect(JSON.parse(await readFile(files[0], 'utf8')).preparation.features).toEqual(preparation.features);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged or foreign file in one line naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-card-'));
    try {
      const [file] = await tableModelCodec.save(classical, dir, 'card');
      await writeFile(file, '{"format": "stagegraph-table-model-card", "prep');
      await expect(tableModelCodec.load(dir, 'card')).rejects.toThrow(
        `${file}: expected a table model card (JSON), got text that does not parse`,
      );
      await writeFile(file, JSON.stringify({ ...classical, preparation: { ...preparation, steps: 'none' } }));
      await expect(tableModelCodec.load(dir, 'card')).rejects.toThrow(
        new RegExp(`^${file}: expected a table model card`),
      );
      // a named pipe in its place is refused before any read (reading it would block forever)
      await rm(file);
      execFileSync('mkfifo', [file]);
      await expect(tableModelCodec.load(dir, 'card')).rejects.toThrow(
        `${file}: expected a table model card (a JSON file), got a named pipe (FIFO)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
