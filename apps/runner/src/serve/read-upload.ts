import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-reply.js';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
/** A client that stops sending its body for this long is answered 408, not waited for. */
export const UPLOAD_IDLE_MS = 10_000;
/** A body left unread ends the connection: the client may still be sending it. */
const CLOSE = { connection: 'close' };

/**
 * The request body, refused with 413 as soon as it is known to exceed the limit, 400 when empty or
 * cut short (the client closed before its Content-Length), 408 when it stalls.
 */
export async function readUpload(
  request: IncomingMessage,
  limit = MAX_UPLOAD_BYTES,
  idleMs = UPLOAD_IDLE_MS,
  what = 'an image',
): Promise<Buffer> {
  const tooLarge = (got: string) =>
    new HttpError(413, `upload: expected ${what} of at most ${limit / 1024 / 1024} MB, got ${got}`);
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    request.resume(); // drain it so the connection can answer
    throw tooLarge(`${(declared / 1024 / 1024).toFixed(1)} MB`);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout;
    const done = (error?: HttpError) => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('aborted', onAborted).off('error', onError);
      if (error) {
        request.resume(); // answer now and let the rest drain unread, rather than reset the connection mid-upload
        chunks.length = 0;
        return reject(error);
      }
      resolve(Buffer.concat(chunks));
    };
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          done(new HttpError(408, `upload: expected the rest of the body, got nothing for ${idleMs / 1000} s`, CLOSE)),
        idleMs,
      );
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return done(tooLarge('more than that'));
      chunks.push(chunk);
      idle();
    };
    const onEnd = () => {
      if (size === 0) done(new HttpError(400, `upload: expected ${what}, got an empty body`));
      else if (declared > size)
        done(new HttpError(400, `upload: expected ${declared} bytes (Content-Length), got ${size}`));
      else done();
    };
    const onAborted = () =>
      done(
        new HttpError(
          400,
          `upload: expected ${Number.isFinite(declared) ? `${declared} bytes` : 'a body'}, got ${size} before the client closed`,
          CLOSE,
        ),
      );
    const onError = () => onAborted();
    request.on('data', onData).once('end', onEnd).once('aborted', onAborted).once('error', onError);
    idle();
  });
}
