import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** An HTTP error the server answers with its status and a one-line message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra headers: `retry-after` on a 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const CONTENT_TYPES: Record<string, string> = {
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
export const securityHeaders = (reportScripts: string[]) => ({
  'content-security-policy': `default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' ${reportScripts.join(' ')}; connect-src 'self'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** How the app answers: a body, JSON, or a file streamed from disk, each with the security headers. */
export class Reply {
  constructor(private readonly headers: Record<string, string>) {}

  send(
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type: string,
    extra: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      ...this.headers,
      ...extra,
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  }

  html(res: ServerResponse, body: string): void {
    this.send(res, 200, body, CONTENT_TYPES['.html']);
  }

  json(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
    this.send(res, status, JSON.stringify(value), CONTENT_TYPES['.json'], extra);
  }

  /** A file already resolved through the path guard; undefined (or not a file) answers 404. */
  async file(req: IncomingMessage, res: ServerResponse, file: string | undefined): Promise<void> {
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) throw new HttpError(404, `${req.url}: no such file`);
    res.writeHead(200, {
      ...this.headers,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    // a client that hangs up mid-file is not a server error
    await pipeline(createReadStream(file), res).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    });
  }
}
