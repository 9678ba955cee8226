import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import type { RunEntry } from '../runs/run-index.js';
import { backtestBestRmse, writeSyntheticRuns } from '../test-support/synthetic-runs.js';
import { backtestComparison } from './backtest-section.js';
import { forecastPage } from './forecast-page.js';
import { pickForecastRun } from './forecast-pick.js';
import { startServer, type RunningServer } from './server.js';

let synthetic: Awaited<ReturnType<typeof writeSyntheticRuns>>;
let server: RunningServer;

beforeAll(async () => {
  synthetic = await writeSyntheticRuns({ forecastRuns: 1, backtestRuns: 3, digitRun: false });
  server = await startServer({ runsDir: synthetic.runsDir, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
  if (synthetic) await rm(synthetic.dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, html: await response.text() };
};
/** The models table's row names, in the order shown. */
const rowNames = (html: string) =>
  [...html.matchAll(/<tr class="(?:model[^"]*|not-run)" data-model="([^"]*)"/g)].map((m) => m[1]);

describe('the forecast page on backtest runs (pipelines/stock-forecast.json, what npm start makes)', () => {
  it('shows the best run of the pipeline by its headline RMSE, not the newest, and says why', async () => {
    const [oldest, best, newest] = synthetic.backtestRuns;
    expect([backtestBestRmse(0), backtestBestRmse(1), backtestBestRmse(2)]).toEqual([52, 50, 54]);
    const { status, html } = await get('/forecast');
    expect(status).toBe(200);
    expect(html).toContain(
      `<strong>${best}</strong></a>: the best of 3 stock-forecast runs by rmse (lower is better): models.ridge-ar-5.rmse 50; the newest, <a href="/forecast?run=${newest}">${newest}</a>, has models.ridge-ar-5.rmse 54.`,
    );
    expect(html).toContain(`<option value="${best}" selected>`);
    expect(html).not.toContain(`<option value="${oldest}" selected>`);
  });

  it('shows the models table: every model best first with its verdict against persistence, and the one not run with why', async () => {
    const { html } = await get('/forecast');
    expect(rowNames(html)).toEqual(['ridge-ar-5', 'drift', 'persistence', 'origin-recipe', 'lstm-returns-features']);
    expect(html).toContain('<th>1. ridge-ar-5 (best)</th><td>baseline</td><td class="num">50</td>');
    expect(html).toContain('beats persistence by 9.1%, significant (p = 0.02000)');
    expect(html).toContain('<td>the reference</td>');
    expect(html).toContain('worse than persistence by 45.5%, not significant (p = 0.4000)');
    expect(html).toContain(
      '<th>lstm-returns-features (not run)</th><td colspan="9">a window of 400 values needs more history</td>',
    );
    expect(html).toContain('<p class="verdict" id="verdict">ridge-ar-5 had the lowest RMSE (9.1% lower');
    expect(html).toContain('Walk-forward over 30 forecast origins, horizon 1, 30 points scored');
  });

  it("shows the run's backtest chart, interactive from its spec, and no single-split sections", async () => {
    const [, best] = synthetic.backtestRuns;
    const { html } = await get('/forecast');
    expect(html).toContain(
      `<figure class="chart" id="figure-backtestPlot"><div class="chart-view"><img src="/runs/${best}/figures/backtestPlot.svg"`,
    );
    expect(html).toContain('<script type="application/json" id="figure-specs">{"backtestPlot":');
    expect(html).not.toContain('next-day forecast');
    expect(html).not.toContain('<h2>Test period</h2>');
  });

  it('shows the run ?run= names, a backtest or a single-split forecast run', async () => {
    const [oldest] = synthetic.backtestRuns;
    const named = await get(`/forecast?run=${oldest}`);
    expect(named.html).toContain(`<strong>${oldest}</strong></a>: the run <code>?run=</code> names.`);
    expect(named.html).toContain('<th>1. ridge-ar-5 (best)</th><td>baseline</td><td class="num">52</td>');
    const single = await get(`/forecast?run=${synthetic.forecastRuns[0]}`);
    expect(single.status).toBe(200);
    expect(single.html).toContain('<p class="big" id="next-day">101</p>');
    expect(single.html).toContain('<h2>Test period</h2>');
    expect(single.html).toContain(`<img src="/runs/${synthetic.forecastRuns[0]}/figures/forecastPlot.svg"`);
    expect(single.html).not.toContain('id="models"');
  });

  it('links every backtest run to the forecast page from the runs page', async () => {
    const { html } = await get('/');
    for (const id of synthetic.backtestRuns) expect(html).toContain(`<a href="/forecast?run=${id}">forecast</a>`);
  });
});

describe('the forecast page on records made elsewhere', () => {
  const backtest = (id: string, metrics: Record<string, unknown>, extra: Partial<RunEntry> = {}) =>
    ({
      id,
      pipeline: 'p',
      startedAt: '2026-01-01T00:00:00.000Z',
      metrics,
      forecastFigures: [],
      backtestFigures: [],
      ...extra,
    }) as RunEntry;
  const scores = (rmse: number, kind = 'baseline') => ({ kind, rmse, rmseRatio: rmse / 2, dmPValue: 0.5 });

  it('shows model, pipeline and reason names from configs as text, never as markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const run = backtest(
      'r1',
      {
        models: { persistence: scores(2), [evil]: scores(1, 'learned') },
        best: evil,
        verdict: `${evil} won`,
        notRun: [{ name: `${evil}2`, reason: `needs ${evil}` }],
      },
      { pipeline: evil, headline: { name: `models.${evil}.rmse`, value: 1 } },
    );
    const other = { ...run, id: 'r0', headline: { name: 'models.persistence.rmse', value: 2 } };
    const html = forecastPage([run, other], pickForecastRun([run, other]));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('data-model="&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain(
      'by rmse (lower is better): models.&lt;img src=x onerror=alert(1)&gt;.rmse 1, and the newest.',
    );
    expect(html).toContain('<td colspan="9">needs &lt;img src=x onerror=alert(1)&gt;</td>');
  });

  it('draws the models against persistence where the run has no backtest chart of its own', () => {
    const run = backtest('r', { models: { persistence: scores(2), drift: scores(1.5) }, best: 'drift', verdict: 'v' });
    const html = forecastPage([run], pickForecastRun([run]));
    expect(html).toContain('<figure class="chart" id="ratio-chart"><svg');
    expect(html).toContain('<title>drift: model drift, RMSE / persistence RMSE 0.7500</title>');
    expect(html).toContain('the newest forecast run; it has no headline metric to rank runs by.');
  });

  it('reads a comparison under its stage prefix, and not a table selection (no model kinds) as one', () => {
    const prefixed = {
      'bt.models': { persistence: scores(2) },
      'bt.best': 'persistence',
      'bt.verdict': 'v',
      'bt.origins': 3,
    };
    expect(backtestComparison(prefixed)?.origins).toBe(3);
    expect(backtestComparison({ models: { svm: { accuracy: 0.9 } }, best: 'svm', verdict: 'v' })).toBeUndefined();
  });

  it("ranks by the newest run's metric and direction: higher accuracy wins, another pipeline and metric are not compared", () => {
    const at = (id: string, name: string, value: number, pipeline = 'p') =>
      backtest(id, {}, { pipeline, headline: { name, value } });
    const newest = at('c', 'accuracy', 0.8);
    expect(pickForecastRun([newest, at('b', 'accuracy', 0.9), at('a', 'accuracy', 0.7)])?.run.id).toBe('b');
    expect(pickForecastRun([newest, at('b', 'accuracy', 0.95, 'q'), at('a', 'rmse', 0.1)])?.run.id).toBe('c');
    expect(pickForecastRun([at('c', 'rmse', 1), at('b', 'rmse', 1)])?.run.id).toBe('c'); // ties: the newest
    expect(pickForecastRun([])).toBeUndefined();
  });

  it('ranks only runs on the same series, and names it', () => {
    const on = (id: string, path: string, value: number) =>
      backtest(
        id,
        {},
        { pipeline: 'p', headline: { name: 'rmse', value }, params: { 'stages.load.params.path': path } },
      );
    const pick = pickForecastRun([on('c', 'goog.csv', 30), on('b', 'co2.csv', 0.4), on('a', 'goog.csv', 20)]);
    expect(pick?.run.id).toBe('a'); // the CO2 run's smaller RMSE is on another scale
    expect(pick?.why).toContain('the best of 2 p (path=goog.csv) runs by rmse');
  });
});
