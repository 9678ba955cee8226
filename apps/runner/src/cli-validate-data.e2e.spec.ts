import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(root, 'apps', 'runner', 'bin', 'stagegraph.js');
const sp500 = join(root, 'node_modules', 'vega-datasets', 'data', 'sp500-2000.csv');

/** The built CLI in a child process at the repository root, as a user runs it on the shipped pipelines. */
const cli = (...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
};

describe('stagegraph validate: the data the stages name (the built CLI)', () => {
  it('passes the shipped forecast pipeline, its file looked at', () => {
    expect(cli('validate', 'pipelines/stock-forecast.json')).toEqual({
      code: 0,
      out: 'ok: pipelines/stock-forecast.json: pipeline "stock-forecast", 4 stages\n',
      err: '',
    });
  });

  it("exits 2 with one line naming a column the file lacks and the file's columns", () => {
    expect(cli('validate', 'pipelines/stock-forecast.json', '--set', 'stages.load.params.column=nope')).toEqual({
      code: 2,
      out: '',
      err: `error: pipelines/stock-forecast.json: stages.load.params.column: expected one of the columns of ${sp500} (date, open, high, low, close, adjclose, volume), got "nope" (did you mean "open"?)\n`,
    });
  });

  it('skips the data with --no-data', () => {
    const args = ['validate', 'pipelines/stock-forecast.json', '--set', 'stages.load.params.column=nope', '--no-data'];
    expect(cli(...args)).toMatchObject({ code: 0, err: '' });
  });

  it('says each problem of a table pipeline in {ok: false, errors} with --json', () => {
    const { code, out } = cli(
      'validate',
      'pipelines/table.json',
      '--json',
      '--set',
      'stages.load.params.label=Miles_per_Galon',
      '--set',
      'stages.load.params.where={"Origin":"Mars"}',
    );
    expect(code).toBe(2);
    expect(JSON.parse(out)).toEqual({
      ok: false,
      config: 'pipelines/table.json',
      errors: [
        expect.stringMatching(
          /^pipelines\/table\.json: stages\.load\.params\.label: expected one of the columns of \S+cars\.json \(.*\), got "Miles_per_Galon" \(did you mean "Miles_per_Gallon"\?\)$/,
        ),
        expect.stringMatching(
          /^pipelines\/table\.json: stages\.load\.params\.where\.Origin: expected one of the values in column "Origin" of \S+cars\.json \(.*"Europe".*\), got "Mars"$/,
        ),
      ],
    });
  });
});
