import { describe, expect, it } from '@jest/globals';
import { parseRedisUrl } from './queue-args.js';

describe('parseRedisUrl', () => {
  it.each([
    ['http://user:hunter2@host:6379', '--redis: expected a redis:// or rediss:// URL, got "http://user:***@host:6379"'],
    [
      'redis://user:hunter2@host:notaport',
      '--redis: expected a redis:// URL such as redis://127.0.0.1:6379, got "redis://user:***@host:notaport"',
    ],
  ])('%s: the message hides the password', (url, message) => {
    expect(() => parseRedisUrl(url, 'for the worker')).toThrow(message);
  });

  it('takes a URL with a password and a database number as it is', () => {
    expect(parseRedisUrl('redis://:secret@127.0.0.1:6379/2', 'for the worker')).toBe(
      'redis://:secret@127.0.0.1:6379/2',
    );
  });
});
