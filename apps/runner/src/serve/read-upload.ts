import type { IncomingMessage } from 'node:http';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** An HTTP error the server answers with its status and a one-line message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request body, refused with 413 as soon as it is known to exceed the limit, 400 when empty. */
export async function readUpload(request: IncomingMessage, limit = MAX_UPLOAD_BYTES): Promise<Buffer> {
  const tooLarge = (got: string) => new HttpError(413, `upload: expected an image of at most ${limit / 1024 / 1024} MB, got ${got}`);
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    request.resume(); // drain it so the connection can answer
    throw tooLarge(`${(declared / 1024 / 1024).toFixed(1)} MB`);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // answer now and let the rest drain unread, rather than reset the connection mid-upload
      request.off('data', onData).resume();
      chunks.length = 0;
      reject(tooLarge('more than that'));
    };
    request.on('data', onData);
    request.once('error', reject);
    request.once('end', () => {
      if (size > limit) return;
      if (size === 0) reject(new HttpError(400, 'upload: expected an image, got an empty body'));
      else resolve(Buffer.concat(chunks));
    });
  });
}
