import { describe, expect, it } from '@jest/globals';
import { metricsCsv } from './metrics-csv.js';
import { renderRunReport, type ReportFigure, type RunReportInput } from './run-report.js';

const svg = (label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><text>${label}</text><path d="M0,0L1,1"/></svg>`;
const lineSpec = {
  mark: 'line',
  data: { values: [{ x: 1, y: 2 }] },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
};

function input(figures: ReportFigure[], metrics: Record<string, unknown>): RunReportInput {
  return {
    pipeline: 'p',
    configFile: 'p.json',
    config: { stages: {} },
    seed: 1,
    backend: 'cpu',
    threads: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    versions: { '@stagegraph/pipeline': '0.1.0' },
    stages: [],
    metrics,
    figures,
    models: [],
    graphSvg: '<svg></svg>',
  };
}

/** The spec names in the report's #figure-specs element. */
const specNames = (html: string) =>
  Object.keys(JSON.parse(/<script type="application\/json" id="figure-specs">([^]*?)<\/script>/.exec(html)![1]));

describe('renderRunReport', () => {
  it('does not repeat a metric a figure shows in full; a matrix no figure shows stays a table', async () => {
    const matrix = [
      [3, 1],
      [0, 4],
    ];
    const figures = [
      { name: 'confusion', title: 'Confusion', svg: svg('c'), spec: lineSpec, shows: ['confusionMatrix'] },
    ];
    const html = await renderRunReport(input(figures, { confusionMatrix: matrix, otherMatrix: matrix }));
    expect(html).toContain('<p>confusionMatrix: drawn in <a href="#figure-confusion">Confusion</a> below');
    expect(html.match(/<table class="matrix">/g)).toHaveLength(1);
    expect(html).toContain('<h3>otherMatrix</h3><table class="matrix">');
  });

  it('labels a confusion matrix with the class names beside it in metrics.json, and shows per-class rows by name', async () => {
    const html = await renderRunReport(
      input([], {
        'forestEval.classes': ['USA', 'Europe'],
        'forestEval.confusionMatrix': [
          [3, 1],
          [0, 4],
        ],
        'forestEval.perClass': [{ class: 'USA', precision: 1, recall: 0.75, f1: 0.8571, support: 4 }],
        'knnEval.confusionMatrix': [[2]],
      }),
    );
    expect(html).toContain(
      '<h3>forestEval.confusionMatrix</h3><table class="matrix"><tr><th>actual \\ predicted</th><th>USA</th><th>Europe</th></tr><tr><th>USA</th><td>3</td><td>1</td></tr>',
    );
    expect(html).not.toContain('<h3>forestEval.classes</h3>'); // shown as the matrix's labels
    expect(html).toContain('<tr><th>class</th><th>precision</th>');
    expect(html).toContain('<tr><td>USA</td><td>1</td><td>0.7500</td>');
    expect(html).toContain('<h3>knnEval.confusionMatrix</h3><table class="matrix"><tr><th></th><th>0</th></tr>'); // no names: codes
  });

  it('shows a model selection as a models table, best first, the baseline marked, with the verdict', async () => {
    const html = await renderRunReport(
      input([], {
        models: {
          baseline: { rmse: 8, rmseRatio: 1 },
          forest: { rmse: 2, rmseRatio: 0.25 },
          ridge: { rmse: 4, rmseRatio: 0.5 },
        },
        ranking: ['forest', 'ridge', 'baseline'],
        best: 'forest',
        baseline: 'baseline',
        verdict: 'forest had the lowest rmse.',
        sample: { rows: 50, of: 300 },
      }),
    );
    expect(html).toContain('<p class="verdict"><strong>forest had the lowest rmse.</strong></p>');
    expect(html).toContain(
      '<h3>models</h3><table><tr><th></th><th>rmse</th><th>rmseRatio</th></tr><tr><th>1. forest</th><td>2</td><td>0.2500</td></tr><tr><th>2. ridge</th><td>4</td><td>0.5000</td></tr><tr><th>3. baseline (baseline)</th><td>8</td><td>1</td></tr></table>',
    );
    expect(html).not.toContain('<h3>ranking</h3>');
    expect(html).toContain(
      '<h3>sample</h3><table><tr><th>rows</th><td>50</td></tr><tr><th>of</th><td>300</td></tr></table>',
    );
  });

  it("shows a backtest's models that did not run as rows of its models table, with why, not as a table of their own", async () => {
    const html = await renderRunReport(
      input([], {
        models: { persistence: { rmse: 2, rmseRatio: 1 }, drift: { rmse: 1, rmseRatio: 0.5 } },
        best: 'drift',
        verdict: 'drift had the lowest RMSE. Not run on this series: lstm (expected more than 21 training values).',
        notRun: [{ name: 'lstm', kind: 'learned', reason: 'expected more than 21 training values, got 14' }],
      }),
    );
    expect(html).toContain(
      '<tr><th>drift</th><td>1</td><td>0.5000</td></tr><tr class="not-run"><th>lstm (not run)</th><td colspan="2">expected more than 21 training values, got 14</td></tr></table>',
    );
    expect(html).not.toContain('<h3>notRun</h3>');
  });

  it('keeps the static SVG of a figure whose spec Vega-Lite refuses, and draws the others', async () => {
    const figures = [
      { name: 'good', title: 'Good', svg: svg('g'), spec: lineSpec, shows: [] },
      { name: 'bad', title: 'Bad', svg: svg('b'), spec: { mark: 'no-such-mark' }, shows: [] },
      { name: 'grid', title: 'Grid', svg: svg('i'), shows: [] },
    ];
    const html = await renderRunReport(input(figures, {}));
    expect(specNames(html)).toEqual(['good']);
    for (const name of ['good', 'bad', 'grid']) expect(html).toContain(`<figure id="figure-${name}" class="chart"`);
    expect(html).toContain('<text>b</text>');
  });

  it('says where the run computed: the backend and its threads, or no backend when no stage computed here', async () => {
    expect(await renderRunReport(input([], {}))).toContain('<tr><th>backend</th><td>cpu, 1 thread</td></tr>');
    const cachedThrough = await renderRunReport({ ...input([], {}), backend: 'none', threads: 0 });
    expect(cachedThrough).toContain('<tr><th>backend</th><td>none (no stage computed in this process)</td></tr>');
  });

  it('escapes data inside the specs element so it cannot end the script', async () => {
    const hostile = { ...lineSpec, data: { values: [{ x: 1, y: 2, note: '</script><script>alert(1)</script>' }] } };
    const html = await renderRunReport(input([{ name: 'f', title: 'F', svg: svg('f'), spec: hostile, shows: [] }], {}));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)');
  });

  it('writes no scripts for a run without charts', async () => {
    expect(await renderRunReport(input([{ name: 'grid', title: 'Grid', svg: svg('i'), shows: [] }], {}))).not.toContain(
      '<script',
    );
  });
});

describe('metricsCsv', () => {
  it('gives nested metrics dotted names, one row per number or label', () => {
    expect(
      metricsCsv({
        rmse: 1.5,
        best: 'drift',
        models: { drift: { rmse: 2, significant: true } },
        confusionMatrix: [[1, 2]],
      }),
    ).toBe(
      'metric,value\nrmse,1.5\nbest,drift\nmodels.drift.rmse,2\nmodels.drift.significant,true\nconfusionMatrix.0.0,1\nconfusionMatrix.0.1,2\n',
    );
  });
});
