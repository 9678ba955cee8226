// `node tools/bench/table-load.js [--quick]` (also part of `npm run bench`): how fast @stagegraph/tables
// reads a table and how much memory it takes. Loads vega-datasets' flights-200k.arrow and a generated
// table of 2,000,000 rows x 5 columns (200,000 with --quick; a number, an integer, a 300-value
// category, a date and the label) as Parquet and as CSV, each in a fresh process; reports seconds and
// peak RSS against the goal (2M x 5 in under 10 s and 1.5 GB).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tables = pathToFileURL(join(root, 'packages', 'tables', 'dist', 'index.js')).href;
const GOAL = { seconds: 10, rssMb: 1536 };

/** In the child: one load, printed as JSON on the last line. */
async function measureOne({ file, label }) {
  const { readTable } = await import(tables);
  const started = performance.now();
  const table = await readTable({ file, label });
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ rows: table.rows, columns: table.columns.length, seconds, peakRssMb }));
}

/** Writes the generated table as Parquet and CSV with DuckDB (seeded, so every run reads the same file). */
async function generate(dir, rows) {
  const require = createRequire(join(root, 'packages', 'tables', 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SELECT setseed(0.42)');
  await connection.run(
    `CREATE TABLE t AS SELECT random() AS x, CAST(range % 97 AS INTEGER) AS n, 'c' || CAST(hash(range) % 300 AS VARCHAR) AS city,
       DATE '2000-01-01' + CAST(range % 7000 AS INTEGER) AS day, random() * 100 AS y FROM range(${rows})`,
  );
  for (const format of ['parquet', 'csv'])
    await connection.run(`COPY t TO '${join(dir, `table.${format}`)}' (FORMAT ${format})`);
  connection.closeSync();
  instance.closeSync();
}

function runOne(spec) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--case', JSON.stringify(spec)], {
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
  });
  try {
    return { ...spec, ...JSON.parse(child.stdout.trim().split('\n').at(-1)) };
  } catch {
    return { ...spec, error: `exit ${child.status}: ${child.stderr.trim().split('\n').at(-1)}` };
  }
}

/** Every case, each in a fresh process; prints a line per case and returns the results. */
export async function measureTableLoad({ quick = false } = {}) {
  const rows = quick ? 200_000 : 2_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-table-load-'));
  try {
    await generate(dir, rows);
    const flights = join(root, 'node_modules', 'vega-datasets', 'data', 'flights-200k.arrow');
    const cases = [
      { case: 'flights-200k.arrow (3 columns)', file: flights, label: 'delay' },
      { case: `generated ${rows.toLocaleString('en')} x 5, Parquet`, file: join(dir, 'table.parquet'), label: 'y' },
      { case: `generated ${rows.toLocaleString('en')} x 5, CSV`, file: join(dir, 'table.csv'), label: 'y' },
    ];
    const results = cases.map(runOne);
    for (const r of results) {
      const text = r.error
        ? `error: ${r.error}`
        : `${r.seconds.toFixed(2)} s, peak RSS ${r.peakRssMb} MB, ${r.rows} rows`;
      const goal =
        !r.error && r.rows >= 2_000_000
          ? r.seconds < GOAL.seconds && r.peakRssMb < GOAL.rssMb
            ? '  (goal met)'
            : '  (GOAL MISSED)'
          : '';
      console.log(`table load  ${r.case.padEnd(38)} ${text}${goal}`);
    }
    return results.map(({ file: _file, ...r }) => r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--case') await measureOne(JSON.parse(args[1]));
else if (process.argv[1] === fileURLToPath(import.meta.url))
  await measureTableLoad({ quick: args.includes('--quick') });
