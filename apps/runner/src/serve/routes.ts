import type { IncomingMessage, ServerResponse } from 'node:http';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import { readRecord } from '../runs/read-record.js';
import { fileInside, runFolderInside } from '../runs/path-inside.js';
import {
  CorruptRecordError,
  isRunId,
  listRuns,
  readHistories,
  readRun,
  resolveRun,
  type CorruptRecord,
  type RunEntry,
} from '../runs/run-index.js';
import { listSweeps, readSweep } from '../sweep/sweep-record.js';
import { HttpError, Reply, CONTENT_TYPES } from './http-reply.js';
import { liveEvents } from './live-events.js';
import { chosenRun } from './chosen-run.js';
import { drawRoute, predictImageRoute, uploadRoute } from './image-routes.js';
import type { ImagePredictor } from './image-predictor.js';
import { storedImageSteps } from './image-steps.js';
import { isForecastRun } from './backtest-section.js';
import { pickForecastRun } from './forecast-pick.js';
import { forecastPage } from './forecast-page.js';
import { comparePage, runsPage, sweepPage } from './runs-pages.js';
import { predictTableRows, tableRunModel } from './table-predict-route.js';
import type { DecodeSlots } from './upload-image.js';

/** The app's own files: apps/runner/assets, the same distance from src/serve and dist/serve. */
export const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));

/** What every route may use: the runs folder (read only through the path guard), the predictor, how to reply. */
export interface App {
  runsDir: string;
  predictor: ImagePredictor;
  reply: Reply;
  assets: Set<string>;
  chartScripts: { name: string; text: string }[];
  decodeSlots: DecodeSlots;
  uploadIdleMs?: number;
  securityHeaders: Record<string, string>;
}

export interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The route pattern's groups as the URL has them: `decoded` them where a name is meant. */
  params: string[];
}

interface Route {
  methods: ('GET' | 'POST')[];
  path: string | RegExp;
  handle: (app: App, request: Request) => Promise<void>;
}

/** A %-encoded path segment decoded; a malformed escape (`%`, `%zz`, a cut UTF-8 sequence) is the client's error, 400. */
export function decoded(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `${path}: expected a URL with well-formed %-escapes, got a malformed one`);
  }
}

/** A folder with a run.json, whole or corrupt (a corrupt run's files can still be looked at). */
const isRunFolder = (runsDir: string, id: string) =>
  readRun(runsDir, id).then(
    (run) => run !== undefined,
    (error: unknown) => (error instanceof CorruptRecordError ? true : Promise.reject(error)),
  );

/** A run a request names by id: 404 when there is none (a corrupt one is a CorruptRecordError, 422). */
async function namedRun(app: App, ref: string): Promise<RunEntry> {
  return resolveRun(await listRuns(app.runsDir), ref, 'in the runs folder');
}

/** The routes, first match wins; a path no route takes is 404, a method no route of that path takes is 405. */
export const ROUTES: Route[] = [
  {
    methods: ['GET'],
    path: '/',
    handle: async (app, { res }) => {
      const [{ runs, corrupt }, sweeps] = await Promise.all([listRuns(app.runsDir), listSweeps(app.runsDir)]);
      const steps = await storedImageSteps(app.runsDir, runs);
      app.reply.html(res, runsPage(runs, sweeps.sweeps, app.runsDir, [...corrupt, ...sweeps.corrupt], steps));
    },
  },
  {
    methods: ['GET'],
    path: '/api/runs',
    handle: async (app, { res }) => app.reply.json(res, 200, await listRuns(app.runsDir)),
  },
  {
    methods: ['GET'],
    path: '/api/sweeps',
    handle: async (app, { res }) => app.reply.json(res, 200, await listSweeps(app.runsDir)),
  },
  {
    methods: ['GET'],
    path: '/api/live',
    handle: async (app, { req, res }) => liveEvents(req, res, app.runsDir, app.securityHeaders),
  },
  {
    methods: ['GET'],
    path: /^\/(api\/)?sweeps\/([^/]+)$/,
    handle: async (app, { res, url, params: [api, encodedId] }) => {
      const id = decoded(encodedId, url.pathname);
      const sweep = await readSweep(app.runsDir, id);
      if (!sweep) throw new HttpError(404, `sweep ${id}: no such sweep`);
      if (api) app.reply.json(res, 200, sweep);
      else app.reply.html(res, sweepPage(sweep));
    },
  },
  {
    methods: ['GET'],
    path: '/compare',
    handle: async (app, { res, url }) => {
      const ids = [...new Set(url.searchParams.getAll('run'))];
      if (ids.length < 2)
        throw new HttpError(400, `compare: expected two or more runs (?run=<id>&run=<id>), got ${ids.length}`);
      const runs = await Promise.all(ids.map((id) => namedRun(app, id)));
      const read = await Promise.all(runs.map((run) => readHistories(app.runsDir, run)));
      app.reply.html(
        res,
        comparePage(
          runs,
          read.map((r) => r.histories),
          read.flatMap((r) => r.problems),
        ),
      );
    },
  },
  { methods: ['GET'], path: '/draw', handle: drawRoute },
  { methods: ['GET'], path: '/upload', handle: uploadRoute },
  {
    methods: ['GET'],
    path: '/forecast',
    handle: async (app, { res, url }) => {
      const ref = url.searchParams.get('run');
      const { runs, chosen } = await chosenRun(app.runsDir, ref, isForecastRun, 'a forecast or backtest');
      // unnamed, the best run of the newest one's pipeline by its headline metric, not merely the newest
      const pick =
        ref === null ? pickForecastRun(runs) : chosen && { run: chosen, why: 'the run <code>?run=</code> names.' };
      const { specs, problems } = pick ? await chartSpecs(app.runsDir, pick.run) : { specs: {}, problems: [] };
      app.reply.html(res, forecastPage(runs, pick, specs, problems));
    },
  },
  {
    methods: ['POST'],
    path: '/api/predict',
    handle: async (app, request) => {
      const { url } = request;
      // a table run's rows (JSON records) are answered by the table route; images by the image models
      const ref = url.searchParams.get('run');
      const table = ref === null ? undefined : await tableRunModel(app, ref, url.searchParams.get('model'));
      if (table) return predictTableRows(app, request, table);
      return predictImageRoute(app, request);
    },
  },
  {
    methods: ['GET'],
    path: /^\/assets\/([^/]+)$/,
    handle: async (app, { req, res, params: [asset] }) => {
      const chartScript = app.chartScripts.find((script) => script.name === asset);
      if (chartScript) return app.reply.send(res, 200, chartScript.text, CONTENT_TYPES['.js']);
      await app.reply.file(req, res, app.assets.has(asset) ? join(ASSETS_DIR, asset) : undefined);
    },
  },
  {
    methods: ['GET'],
    path: /^\/runs\/([^/]+)\/(.*)$/,
    handle: async (app, { req, res, url, params: [id, rest] }) => {
      // only a run's own files: a folder of the runs folder that holds no run (photos/, say) serves nothing
      if (!isRunId(id) || !(await isRunFolder(app.runsDir, id)))
        throw new HttpError(404, `${url.pathname}: no such run`);
      if (rest === '') return void res.writeHead(302, { location: `/runs/${id}/report.html` }).end();
      const runDir = await runFolderInside(app.runsDir, id);
      await app.reply.file(req, res, runDir && (await fileInside(runDir, rest)));
    },
  },
];

/** The Vega-Lite specs of a run's forecast and backtest figures (`figures/<name>.vl.json`) by SVG file; one that cannot be read keeps its static SVG. */
async function chartSpecs(
  runsDir: string,
  run: RunEntry,
): Promise<{ specs: Record<string, Record<string, unknown>>; problems: CorruptRecord[] }> {
  const specs: Record<string, Record<string, unknown>> = {};
  const problems: CorruptRecord[] = [];
  for (const file of [...run.backtestFigures, ...run.forecastFigures]) {
    const specFile = file.replace(/\.svg$/, '.vl.json');
    const read = await readRecord(runsDir, `${run.id}/${specFile}`, z.record(z.string(), z.unknown()));
    if (read && 'value' in read) specs[file] = read.value;
    else if (read) problems.push({ id: run.id, file: specFile, problem: read.problem });
  }
  return { specs, problems };
}

/** The app's asset file names, read once at start. */
export const assetNames = async () => new Set(await readdir(ASSETS_DIR));
