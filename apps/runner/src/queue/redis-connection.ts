import { Redis } from 'ioredis';
import { UsageError } from '../cli-error.js';
import { redisLabel } from './queue-args.js';

/**
 * A connection as BullMQ wants it (commands wait for a reconnect instead of failing), opened now so
 * that a wrong URL or a server that is down is one line before anything is queued.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: timeoutMs });
  let lastError: Error | undefined;
  const onError = (error: Error) => (lastError = error);
  connection.on('error', onError);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(lastError ?? new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs).unref(),
  );
  try {
    await Promise.race([connection.connect(), timeout]);
    await Promise.race([connection.ping(), timeout]);
  } catch (error) {
    connection.disconnect();
    const reason =
      (lastError as NodeJS.ErrnoException | undefined)?.code ??
      (error as NodeJS.ErrnoException).code ??
      (error as Error).message;
    throw new Error(`cannot reach redis at ${redisLabel(url)} (${reason})`);
  } finally {
    connection.off('error', onError);
  }
  // ioredis selects the URL's database while connecting and only emits the server's refusal; its commands would then wait for ever
  if (lastError && /DB index is out of range/.test(lastError.message)) {
    connection.disconnect();
    throw new UsageError(
      `--redis ${redisLabel(url)}: the server has no database ${connection.options.db} (${lastError.message}; a Redis has 0 to 15 unless its "databases" setting says more)`,
    );
  }
  return connection;
}

/**
 * Says in one line when the connection drops and when it is back, and gives up after `giveUpMs`
 * without it. ioredis reconnects on its own; BullMQ's commands wait meanwhile.
 */
export function watchConnection(
  connection: Redis,
  url: string,
  handlers: { notice: (line: string) => void; back: () => void },
  /** Fail after this long without Redis (a run); none waits for ever (a worker). */
  giveUp?: { afterMs: number; then: (message: string) => void },
) {
  let lostAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const lost = (reason: string) => {
    if (lostAt !== undefined) return;
    lostAt = Date.now();
    handlers.notice(
      `redis at ${redisLabel(url)}: connection lost (${reason}); reconnecting${giveUp ? `, for up to ${Math.round(giveUp.afterMs / 1000)} s` : ''}`,
    );
    if (!giveUp) return;
    timer = setTimeout(
      () => giveUp.then(`redis at ${redisLabel(url)} unreachable for ${Math.round(giveUp.afterMs / 1000)} s`),
      giveUp.afterMs,
    );
    timer.unref();
  };
  const onError = (error: NodeJS.ErrnoException) => lost(error.code ?? error.message);
  const onClose = () => lost('closed');
  const onReady = () => {
    if (lostAt === undefined) return;
    handlers.notice(`redis at ${redisLabel(url)}: reconnected after ${((Date.now() - lostAt) / 1000).toFixed(1)} s`);
    lostAt = undefined;
    clearTimeout(timer);
    handlers.back();
  };
  connection.on('error', onError);
  connection.on('close', onClose);
  connection.on('ready', onReady);
  return () => {
    clearTimeout(timer);
    connection.off('error', onError);
    connection.off('close', onClose);
    connection.off('ready', onReady);
  };
}
