import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { escapeControlCharacters, UserInputError } from '@stagegraph/pipeline';
import { figureScripts, reportScriptHashes } from '../report/run-report.js';
import { CorruptRecordError, NoSuchRunError } from '../runs/run-index.js';
import { ImagePredictor } from './image-predictor.js';
import { CONTENT_TYPES, HttpError, Reply, securityHeaders } from './http-reply.js';
import { errorPage } from './pages.js';
import { assetNames, ROUTES, type App } from './routes.js';
import { DecodeSlots } from './upload-image.js';

export { ASSETS_DIR } from './routes.js';

export interface ServeOptions {
  runsDir: string;
  host: string;
  port: number;
  log?: (line: string) => void;
  /** Uploads decoded at once before the app answers 503 (default 2). */
  decodeSlots?: number;
  /** How long an upload's body may stall before 408 (default 10 s). */
  uploadIdleMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A whole request (headers and body) must arrive within this; Node's default waits five minutes. */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;

/**
 * The web app: run list and reports (files of the runs folder), "Draw a digit" and "Upload an
 * image" with server-side prediction, and "Forecast". Serves nothing outside the runs folder and the app's assets: every
 * file a route reads goes through the one path guard (runs/path-inside.ts).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const headers = securityHeaders(await reportScriptHashes());
  const app: App = {
    runsDir: options.runsDir,
    predictor: new ImagePredictor(),
    reply: new Reply(headers),
    assets: await assetNames(),
    chartScripts: await figureScripts(), // the report's, for the app's own charts
    decodeSlots: new DecodeSlots(options.decodeSlots),
    uploadIdleMs: options.uploadIdleMs,
    securityHeaders: headers,
  };
  const hidePaths = await serverPaths(options.runsDir);

  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS },
    (req, res) => {
      const started = performance.now();
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        url = new URL('http://localhost/invalid');
      }
      // `..` and `.` in the path as sent, in any spelling: refused, not resolved (URL parsing would tidy them away)
      const dotted = (req.url ?? '/')
        .split('?')[0]
        .split('/')
        .some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
      const malformed = !dotted && !decodable(url.pathname);
      (dotted
        ? Promise.reject(new HttpError(404, `${url.pathname}: not a page of this app`))
        : malformed
          ? Promise.reject(
              new HttpError(400, `${url.pathname}: expected a URL with well-formed %-escapes, got a malformed one`),
            )
          : dispatch(app, req, res, url)
      )
        .catch((error: unknown) => {
          const status = statusOf(error);
          // never a stack, nor where the server keeps its files: name the run and the file instead
          const message = hidePaths(oneLine(error instanceof Error ? error.message : `failed: ${String(error)}`));
          if (status === 500) log(`error: ${req.method} ${url.pathname}: ${message}`);
          if (res.headersSent) return void res.destroy();
          const extra = error instanceof HttpError ? error.headers : {};
          if (url.pathname.startsWith('/api/')) app.reply.json(res, status, { error: message }, extra);
          else app.reply.send(res, status, errorPage(status, message), CONTENT_TYPES['.html'], extra);
        })
        .finally(() =>
          log(
            `${req.method} ${oneLine(url.pathname + url.search)} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
          ),
        );
    },
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    void app.predictor.close();
    throw listenError(error, options);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.predictor.close();
    },
  };
}

/** The route of the table that takes the request's method and path: a path no route takes is 404, a method no route of that path takes 405. */
async function dispatch(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const matching = ROUTES.map((route) => ({
    route,
    match:
      typeof route.path === 'string'
        ? route.path === url.pathname
          ? []
          : undefined
        : route.path.exec(url.pathname)?.slice(1),
  })).filter((m) => m.match !== undefined);
  const found = matching.find((m) => (m.route.methods as string[]).includes(method ?? ''));
  if (found) return found.route.handle(app, { req, res, url, params: found.match! });
  if (matching.length)
    throw new HttpError(
      405,
      `${req.method} ${url.pathname}: expected ${[...new Set(matching.flatMap((m) => m.route.methods))].join(' or ')}`,
    );
  throw new HttpError(404, `${url.pathname}: not a page of this app`);
}

/** An error's HTTP status: its own, 422 a corrupt record, 404 no such run, 400 another user error, else 500. */
function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof CorruptRecordError) return 422;
  if (error instanceof NoSuchRunError) return 404;
  return error instanceof UserInputError ? 400 : 500;
}

function listenError(error: NodeJS.ErrnoException, { host, port }: ServeOptions): Error {
  if (error.code === 'EADDRINUSE')
    return new UserInputError(
      `--port ${port}: expected a free port, got one in use on ${host} (EADDRINUSE); pick another or --port 0 for any free one`,
    );
  if (error.code === 'EACCES')
    return new UserInputError(
      `--port ${port}: expected a port this user may open, got one that needs privileges (EACCES)`,
    );
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return new UserInputError(
      `--host ${host}: expected an address of this machine, got one it does not have (${error.code})`,
    );
  return error;
}

const decodable = (path: string) => {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
};

const oneLine = (text: string) => escapeControlCharacters(text.split('\n')[0]);

/** Replaces the runs folder's absolute paths (as given and with links resolved) in a message by `<runs>`. */
async function serverPaths(runsDir: string): Promise<(text: string) => string> {
  const roots = [...new Set([resolve(runsDir), await realpath(runsDir).catch(() => resolve(runsDir))])].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => roots.reduce((t, root) => t.split(root).join('<runs>'), text);
}
