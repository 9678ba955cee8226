import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { escapeControlCharacters, UserInputError } from '@stagegraph/pipeline';
import { figureScripts, reportScriptHashes } from '../report/run-report.js';
import { DigitPredictor } from './digit-predictor.js';
import { drawPage, forecastPage, notFoundPage } from './pages.js';
import { comparePage, runsPage, sweepPage } from './runs-pages.js';
import { liveEvents } from './live-events.js';
import { listSweeps, readSweep } from '../sweep/sweep-record.js';
import { HttpError, readUpload } from './read-upload.js';
import { fileInside, runFolderInside } from './safe-path.js';
import { isRunId, listRuns, readHistories, readRun, type RunEntry } from '../runs/run-index.js';

/** The app's own files: apps/runner/assets, the same distance from src/serve and dist/serve. */
export const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
};

// Pages and run files may hold figures from anywhere; nothing they contain may run scripts of its
// own. Reports run theirs (Vega, by hash): a report from another version keeps its static figures.
const securityHeaders = (reportScripts: string[]) => ({
  'content-security-policy': `default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' ${reportScripts.join(' ')}; connect-src 'self'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

export interface ServeOptions {
  runsDir: string;
  host: string;
  port: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The web app: run list and reports (files of the runs folder), "Draw a digit" with server-side
 * prediction, and "Forecast". Serves nothing outside the runs folder and the app's assets.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const predictor = new DigitPredictor(options.runsDir);
  const assets = new Set(await readdir(ASSETS_DIR));
  const log = options.log ?? (() => {});
  const SECURITY_HEADERS = securityHeaders(await reportScriptHashes());
  const chartScripts = await figureScripts(); // the report's, for the app's own charts

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), CONTENT_TYPES['.json']);
  const sendFile = async (req: IncomingMessage, res: ServerResponse, file: string | undefined) => {
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) throw new HttpError(404, `${req.url}: no such file`);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    // a client that hangs up mid-file is not a server error
    await pipeline(createReadStream(file), res).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    });
  };
  /** Of the runs a page can show, the one `?run=` names, else the newest. */
  const pick = (runs: RunEntry[], id: string | null) => {
    const chosen = id === null ? runs[0] : runs.find((r) => r.id === id);
    if (id !== null && !chosen) throw new HttpError(404, `run ${id}: no such run with what this page needs`);
    return chosen;
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/api/predict') {
      if (req.method !== 'POST') throw new HttpError(405, 'POST an image to /api/predict?run=<run>');
      // read just this run: the page posts on every stroke, and the runs folder may hold hundreds
      const id = url.searchParams.get('run');
      const run = id === null ? undefined : await readRun(options.runsDir, id);
      if (!run?.digitModels.length) throw new HttpError(404, `run ${id}: no such run with a digit model`);
      const model = url.searchParams.get('model') ?? run.digitModels[0];
      if (!run.digitModels.includes(model)) throw new HttpError(404, `model ${model}: not one of run ${run.id}'s digit models (${run.digitModels.join(', ')})`);
      const image = await readUpload(req);
      return sendJson(res, 200, { run: run.id, model, ...(await predictor.predict(`${run.id}/${model}`, image, 'upload')) });
    }
    if (!isGet) throw new HttpError(405, `${req.method} ${path}: only GET here`);
    if (path === '/api/runs') return sendJson(res, 200, await listRuns(options.runsDir));
    if (path === '/') return send(res, 200, runsPage(await listRuns(options.runsDir), await listSweeps(options.runsDir), options.runsDir), CONTENT_TYPES['.html']);
    if (path === '/api/sweeps') return sendJson(res, 200, await listSweeps(options.runsDir));
    if (path === '/api/live') return liveEvents(req, res, options.runsDir, SECURITY_HEADERS);
    if (path === '/compare') {
      const ids = [...new Set(url.searchParams.getAll('run'))];
      if (ids.length < 2) throw new HttpError(400, `compare: expected two or more runs (?run=<id>&run=<id>), got ${ids.length}`);
      const runs = await Promise.all(ids.map(async (id) => (await readRun(options.runsDir, id)) ?? Promise.reject(new HttpError(404, `run ${id}: no such run`))));
      return send(res, 200, comparePage(runs, await Promise.all(runs.map((run) => readHistories(options.runsDir, run)))), CONTENT_TYPES['.html']);
    }
    const sweepPath = /^\/(api\/)?sweeps\/([^/]+)$/.exec(path);
    if (sweepPath) {
      const sweep = await readSweep(options.runsDir, decodeURIComponent(sweepPath[2]));
      if (!sweep) throw new HttpError(404, `sweep ${sweepPath[2]}: no such sweep`);
      return sweepPath[1] ? sendJson(res, 200, sweep) : send(res, 200, sweepPage(sweep), CONTENT_TYPES['.html']);
    }
    if (path === '/draw') {
      const runs = (await listRuns(options.runsDir)).filter((r) => r.digitModels.length);
      return send(res, 200, drawPage(runs, pick(runs, url.searchParams.get('run'))), CONTENT_TYPES['.html']);
    }
    if (path === '/forecast') {
      const runs = (await listRuns(options.runsDir)).filter((r) => r.forecastFigures.length);
      const chosen = pick(runs, url.searchParams.get('run'));
      return send(res, 200, forecastPage(runs, chosen, chosen && (await chartSpecs(options.runsDir, chosen))), CONTENT_TYPES['.html']);
    }
    const asset = /^\/assets\/([^/]+)$/.exec(path)?.[1];
    const chartScript = asset !== undefined && chartScripts.find((script) => script.name === asset);
    if (chartScript) return send(res, 200, chartScript.text, CONTENT_TYPES['.js']);
    if (asset !== undefined) return sendFile(req, res, assets.has(asset) ? join(ASSETS_DIR, asset) : undefined);
    const runFile = /^\/runs\/([^/]+)\/(.*)$/.exec(path);
    if (runFile) {
      const [, id, rest] = runFile;
      if (!isRunId(id)) throw new HttpError(404, `${path}: no such run`);
      if (rest === '') return void res.writeHead(302, { location: `/runs/${id}/report.html` }).end();
      const runDir = await runFolderInside(options.runsDir, id);
      return sendFile(req, res, runDir && (await fileInside(runDir, rest)));
    }
    throw new HttpError(404, `${path}: not a page of this app`);
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/invalid');
    }
    route(req, res, url)
      .catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : error instanceof UserInputError ? 400 : 500;
        const message = (error as Error).message;
        if (status === 500) log(`error: ${req.method} ${url.pathname}: ${oneLine(message)}`); // never a stack: it would show server paths
        if (res.headersSent) return void res.destroy();
        if (url.pathname.startsWith('/api/')) sendJson(res, status, { error: message });
        else if (status === 404) send(res, 404, notFoundPage(url.pathname), CONTENT_TYPES['.html']);
        else send(res, status, `${message}\n`, 'text/plain; charset=utf-8');
      })
      .finally(() => log(`${req.method} ${url.pathname}${url.search} ${res.statusCode} ${Math.round(performance.now() - started)}ms`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    void predictor.close();
    throw listenError(error, options);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await predictor.close();
    },
  };
}

function listenError(error: NodeJS.ErrnoException, { host, port }: ServeOptions): Error {
  if (error.code === 'EADDRINUSE')
    return new UserInputError(`--port ${port}: expected a free port, got one in use on ${host} (EADDRINUSE); pick another or --port 0 for any free one`);
  if (error.code === 'EACCES') return new UserInputError(`--port ${port}: expected a port this user may open, got one that needs privileges (EACCES)`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return new UserInputError(`--host ${host}: expected an address of this machine, got one it does not have (${error.code})`);
  return error;
}

const oneLine = (text: string) => escapeControlCharacters(text.split('\n')[0]);

/** The Vega-Lite specs of a run's figures that have one (`figures/<name>.vl.json`), by SVG file. */
async function chartSpecs(runsDir: string, run: RunEntry): Promise<Record<string, Record<string, unknown>>> {
  const specs: Record<string, Record<string, unknown>> = {};
  for (const file of run.forecastFigures) {
    const specFile = await fileInside(runsDir, `${encodeURIComponent(run.id)}/${file.replace(/\.svg$/, '.vl.json')}`);
    if (specFile) specs[file] = JSON.parse(await readFile(specFile, 'utf8'));
  }
  return specs;
}
