import { describe, expect, it } from '@jest/globals';
import { CancelledError, ConfigError, DataError, StageFault } from '@stagegraph/pipeline';
import { reportError } from './cli-error.js';

const report = (error: unknown, verbose = false) => {
  let text = '';
  const code = reportError(error, verbose, (t) => (text += t));
  return { code, text };
};

describe('reportError', () => {
  it('prints user errors as one line each with exit 2, no stack', () => {
    expect(report(new DataError('a.csv: expected x, got y'))).toEqual({
      code: 2,
      text: 'error: a.csv: expected x, got y\n',
    });
    expect(report(new ConfigError(['one', 'two'], 'p.json'))).toEqual({
      code: 2,
      text: 'error: p.json: one\nerror: p.json: two\n',
    });
  });

  it('names the file a full disk or a read-only folder stopped, exit 2', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '.stagegraph/cache/tmp/abc/model/weights.bin',
    });
    expect(report(full)).toEqual({
      code: 2,
      text: 'error: .stagegraph/cache/tmp/abc/model/weights.bin: cannot write: the disk is full (ENOSPC); nothing was half-written\n',
    });
    expect(report(Object.assign(new Error('EROFS'), { code: 'EROFS', path: 'runs/x' })).text).toBe(
      'error: runs/x: cannot write: the file system is read-only (EROFS); nothing was half-written\n',
    );
  });

  it('exits 130 when cancelled and 1 for bugs, pointing at --verbose', () => {
    expect(report(new CancelledError('stage train at epoch 2/5'))).toEqual({
      code: 130,
      text: 'stagegraph: cancelled during stage train at epoch 2/5\n',
    });
    expect(report(new TypeError('x is undefined'))).toEqual({
      code: 1,
      text: 'error: x is undefined\n(run again with --verbose for the stack trace)\n',
    });
    expect(report(new TypeError('boom'), true).text).toMatch(/^error: boom\nTypeError: boom\n\s+at /);
  });

  it('prints what caused the error too with --verbose (a tfjs-node that did not load: its own stack)', () => {
    const cause = new Error('libtensorflow.so.2: cannot open shared object file');
    const { text } = report(
      new Error('backend "tensorflow" is not available: @tensorflow/tfjs-node did not load', { cause }),
      true,
    );
    expect(text).toMatch(/\ncaused by: Error: libtensorflow\.so\.2: cannot open shared object file\n\s+at /);
  });

  it('prints a stage that broke the rules of run in one line, exit 1: a stack would show the engine, not the stage', () => {
    expect(report(new StageFault('stage odd (mine.odd) failed: it threw null, not an Error'))).toEqual({
      code: 1,
      text: 'error: stage odd (mine.odd) failed: it threw null, not an Error\n',
    });
  });
});
