import { escapeControlCharacters } from '@stagegraph/pipeline';
import { UsageError } from '../cli-error.js';
import { wholeNumberArg } from '../number-args.js';

// bullmq and ioredis are loaded only where a queue is used (queue-executor.ts, stage-worker.ts): not by every command;
// the options themselves are declared in cli-options.ts

/** The URL without its password, for messages. */
export function redisLabel(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

/** Text that failed to parse as a URL, with whatever sits between "//user:" and "@" hidden: it may be a password. */
const withoutPassword = (text: string) => text.replace(/^([^:/]*:\/\/[^:@/]*:)[^@]*@/, '$1***@');

/** `--redis`: a redis:// or rediss:// URL, else a usage error naming what was given. */
export function parseRedisUrl(text: string | undefined, needed: string): string {
  if (!text) throw new UsageError(`--redis: expected a redis:// URL ${needed}, got nothing`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--redis: expected a redis:// URL such as redis://127.0.0.1:6379, got "${withoutPassword(text)}"`,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new UsageError(`--redis: expected a redis:// or rediss:// URL, got "${redisLabel(text)}"`);
  // ioredis sends whatever follows the host as SELECT's argument: "abc" crashes it, and no number is checked
  const db = url.pathname.replace(/^\//, '') || url.searchParams.get('db');
  if (db !== null && db !== '' && !/^\d{1,9}$/.test(db)) {
    throw new UsageError(
      `--redis: expected a database number after the host, such as redis://127.0.0.1:6379/0 (a Redis has 0 to 15 unless configured with more), got "${db}"`,
    );
  }
  return text;
}

/**
 * `--queue`: BullMQ refuses an empty name or one with ':' (its key separator), and would print that
 * and hang; a name is printed back in every notice, so no control characters, and a Redis key's
 * worth of length at most.
 */
export function parseQueueName(text: string): string {
  const got = escapeControlCharacters(JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text));
  if (!text || text.includes(':') || /[\u0000-\u001f\u007f-\u009f]/.test(text) || text.length > 200)
    throw new UsageError(
      `--queue: expected a name of 1 to 200 characters without ':' or control characters, got ${got}${text.length > 200 ? ` (${text.length} characters)` : ''}`,
    );
  return text;
}

/** Where `run` and `sweep` compute stages: here, or on a queue's workers. */
export interface QueueArgs {
  redis: string;
  queue: string;
  /** How long a dropped Redis may stay away before the run fails. */
  giveUpMs: number;
}

/** The queue to dispatch to, or none for local execution; `--redis` without the bullmq executor is a mistake worth saying. */
export function queueOptions(args: {
  executor: 'local' | 'bullmq';
  redis?: string;
  queue: string;
  redisTimeout: string;
}): QueueArgs | undefined {
  if (args.executor === 'local') {
    if (args.redis)
      throw new UsageError('--redis: only used with --executor bullmq; add it, or leave --redis out to run here');
    return undefined;
  }
  return {
    redis: parseRedisUrl(args.redis ?? process.env.STAGEGRAPH_REDIS, 'with --executor bullmq'),
    queue: parseQueueName(args.queue),
    giveUpMs: wholeNumberArg('--redis-timeout', args.redisTimeout, 1, 86_400)! * 1000,
  };
}
