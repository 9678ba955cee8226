// tables.prepare on a generated table of N rows (default 2,000,000) x 5 columns (two numbers, one with
// missing values; a category of 20 values; a boolean; a date) and a 3-class label: seconds to infer,
// split, fit and prepare, and the process's peak RSS. Run it under `/usr/bin/time -v` for the OS's view.
//   node tools/bench/table-prepare.js [rows]
import { SeededRandom } from '@stagegraph/pipeline';
import { prepareTableStage } from '@stagegraph/tables/stages';

const n = Number(process.argv[2] ?? 2_000_000);

function table() {
  const random = new SeededRandom(1);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const city = new Int32Array(n);
  const flag = new Uint8Array(n);
  const day = new Float64Array(n);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = random.next() * 100;
    b[i] = random.next() < 0.05 ? NaN : random.next() * 10;
    city[i] = random.nextInt(20);
    flag[i] = random.next() < 0.01 ? 255 : random.nextInt(2);
    day[i] = Date.UTC(2000, 0, 1) + random.nextInt(9000) * 86_400_000;
    label[i] = a[i] > 60 ? 2 : city[i] < 5 ? 1 : 0;
  }
  const base = (name) => ({ name, missing: 0, distinct: n });
  return {
    rows: n,
    label: 'class',
    columns: [
      { ...base('a'), type: 'number', values: a },
      { ...base('b'), type: 'number', values: b },
      { ...base('city'), type: 'category', codes: city, categories: Array.from({ length: 20 }, (_, i) => `city ${i}`) },
      { ...base('flag'), type: 'boolean', values: flag },
      { ...base('day'), type: 'date', values: day },
      { ...base('class'), type: 'category', codes: label, categories: ['low', 'near', 'high'] },
    ],
    dropped: [],
    source: { file: 'generated', rowsRead: n, labelMissing: 0 },
  };
}

const input = table();
const ctx = {
  stageId: 'prepare',
  seed: 1,
  signal: new AbortController().signal,
  workDir: '.',
  progress() {},
  log: console.log,
};
const started = performance.now();
const out = await prepareTableStage.run({ table: input }, prepareTableStage.params.parse({}), ctx);
const seconds = (performance.now() - started) / 1000;
const mb = (bytes) => Math.round(bytes / 2 ** 20);
console.log(
  `prepared ${n} rows x ${out.preparation.features.length} features in ${seconds.toFixed(2)}s;` +
    ` peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MiB`,
);
