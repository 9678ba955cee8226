import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, notAFile, writeFileAtomic, type Codec } from '@stagegraph/pipeline';
import { TABLE_MODEL_CARD, TABLE_MODEL_CARD_FILE, type TableModelCard } from './table-model-card.js';

/**
 * Stores a table model card as `<dir>/<port>/table-model.json`: a folder of its own, as a network's
 * model is, so a run folder can export it into the model's folder. A loaded card is checked against
 * TABLE_MODEL_CARD, so a damaged or foreign file fails with one line naming it.
 */
export const tableModelCodec: Codec<TableModelCard> = {
  kind: 'table-model',
  async save(card, dir, name) {
    const file = join(dir, name, TABLE_MODEL_CARD_FILE);
    await mkdir(join(dir, name), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(card) + '\n');
    return [file];
  },
  async load(dir, name) {
    return readTableModelCard(join(dir, name, TABLE_MODEL_CARD_FILE));
  },
};

/** Reads and checks a card file: an Error naming the file when it is not JSON or not a card. */
export async function readTableModelCard(file: string): Promise<TableModelCard> {
  // a FIFO would block the read (and the process) forever, a device read without end
  const kind = await stat(file).then(notAFile, () => undefined);
  if (kind) throw new DataError(`${file}: expected a table model card (a JSON file), got ${kind}`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error;
    throw new Error(`${file}: expected a table model card (JSON), got text that does not parse`);
  }
  const problem = TABLE_MODEL_CARD.check?.(value);
  if (problem) throw new Error(`${file}: ${problem}`);
  return value as TableModelCard;
}
