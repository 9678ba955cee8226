import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { RunEvent } from '@stagegraph/pipeline';
import { LineRenderer } from './line-renderer.js';
import { terminalStyle } from './terminal.js';
import { TtyRenderer } from './tty-renderer.js';

const ESC = '\x1b[';
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** Two stages at once: `data` done, `train` two epochs of four batches, a warning from `train` in between. */
function* events(): Generator<RunEvent, void, undefined> {
  const planned = (id: string, type: string) => ({ id, type, recipeKey: id, cached: false });
  yield {
    type: 'run-start',
    pipeline: 'p',
    stages: [planned('data', 'x.load'), planned('train', 'x.train'), planned('samples', 'x.plot')],
    time: '',
  };
  yield { type: 'stage-start', stageId: 'data', stageType: 'x.load', key: 'k', cached: false };
  yield {
    type: 'stage-end',
    stageId: 'data',
    stageType: 'x.load',
    key: 'k',
    cached: false,
    loaded: true,
    durationMs: 120,
  };
  yield { type: 'stage-start', stageId: 'train', stageType: 'x.train', key: 'k', cached: false };
  yield { type: 'stage-start', stageId: 'samples', stageType: 'x.plot', key: 'k', cached: false };
  for (let epoch = 1; epoch <= 2; epoch++) {
    for (let batch = 1; batch <= 4; batch++) {
      yield {
        type: 'stage-progress',
        stageId: 'train',
        progress: { epoch, epochs: 2, batch, batches: 4, batchSize: 32, loss: 1 / (epoch * batch) },
      };
    }
    yield {
      type: 'stage-progress',
      stageId: 'train',
      progress: {
        epoch,
        epochs: 2,
        loss: 0.5 / epoch,
        valLoss: 0.6 / epoch,
        metrics: { acc: 0.4 * epoch, val_acc: 0.45 * epoch },
      },
    };
    if (epoch === 1)
      yield {
        type: 'stage-log',
        stageId: 'train',
        level: 'warn',
        message: 'learning rate lowered \x1b[31mto\x1b[0m 1e-4',
      };
  }
}

describe('TtyRenderer', () => {
  beforeEach(() => void jest.useFakeTimers({ now: 0 }));
  afterEach(() => void jest.useRealTimers());

  it('draws the stages together, redrawn in place, with epoch, samples/s and ETA while training', () => {
    let written = '';
    const frames: string[] = [];
    const renderer = new TtyRenderer(
      { write: (t: string) => void (written += t), columns: 200, rows: 40 },
      terminalStyle(true, {}).colors,
    );
    for (const event of events()) {
      renderer.onEvent(event);
      jest.advanceTimersByTime(250); // the next event comes 250 ms later; the block is redrawn every 100 ms
      frames.push(plain(written.slice(written.lastIndexOf(`${ESC}G`))));
    }
    // after batch 3 of epoch 1, both stages on screen at once: the bar counts the batches of the epoch in hand
    const midTraining = frames[7];
    expect(midTraining).toMatch(/^data {5}done 120ms$/m);
    expect(midTraining).toMatch(
      /^train {4}\[#{8}\.{12}\] epoch 1\/2 \[#{9}\.{3}\] batch 3\/4 loss 0\.3333 \S+ \(128 samples\/s, ETA 1\.\ds\)$/m,
    );
    expect(midTraining).toMatch(/^samples {2}running /m);
    expect(written).toContain(`${ESC}2K${ESC}1A`); // each frame erases the one before (log-update)
    expect(written).toContain(`${ESC}32mdone`); // colour on a terminal
    // the warning scrolls above the block, its data escaped, not interpreted
    expect(plain(written)).toContain('train: warning: learning rate lowered \\x1b[31mto\\x1b[0m 1e-4\n');
    renderer.onEvent({
      type: 'stage-end',
      stageId: 'train',
      stageType: 'x.train',
      key: 'k',
      cached: false,
      loaded: true,
      durationMs: 2100,
    });
    renderer.onEvent({
      type: 'stage-end',
      stageId: 'samples',
      stageType: 'x.plot',
      key: 'k',
      cached: true,
      loaded: true,
      durationMs: 0,
    });
    renderer.close();
    const last = plain(written.slice(written.lastIndexOf(`${ESC}G`)));
    expect(last).toBe('data     done 120ms\ntrain    done 2.1s\nsamples  cached\n');
  });

  it('drops the batch bar and halves the epoch bar where the full line would not fit', () => {
    let written = '';
    const renderer = new TtyRenderer(
      { write: (t: string) => void (written += t), columns: 90, rows: 40 },
      terminalStyle(true, {}).colors,
    );
    for (const event of [...events()].slice(0, 8)) {
      renderer.onEvent(event);
      jest.advanceTimersByTime(250);
    }
    const frame = plain(written.slice(written.lastIndexOf(`${ESC}G`)));
    expect(frame).toMatch(
      /^train {4}\[####\.{6}\] epoch 1\/2 batch 3\/4 loss 0\.3333 \S+ \(128 samples\/s, ETA \S+\)$/m,
    );
    for (const row of frame.split('\n')) expect(row.length).toBeLessThanOrEqual(90);
    renderer.close();
  });

  it('wraps a line wider than the terminal and still erases all of it', () => {
    let written = '';
    const renderer = new TtyRenderer(
      { write: (t: string) => void (written += t), columns: 30, rows: 40 },
      terminalStyle(true, { NO_COLOR: '1' }).colors,
    );
    const stream = [...events()];
    for (const event of stream.slice(0, 8)) {
      renderer.onEvent(event);
      jest.advanceTimersByTime(250);
    }
    const frame = written.slice(written.lastIndexOf(`${ESC}G`) + 3);
    const rows = frame.split('\n').length - 1;
    expect(rows).toBeGreaterThan(3); // three stages, the training line wrapped
    written = '';
    jest.advanceTimersByTime(100); // one redraw: the elapsed times changed
    expect(written.split(`${ESC}1A`)).toHaveLength(rows + 1); // erased row by row, wrapped rows too
    expect(written).not.toMatch(/\x1b\[(3\d|1|2|22)m/); // NO_COLOR
    renderer.close();
  });
});

describe('LineRenderer', () => {
  it('prints a plain line per event and per epoch, without colour where told', () => {
    let written = '';
    const renderer = new LineRenderer((t) => void (written += t), terminalStyle(false, {}).colors);
    jest.useFakeTimers({ now: 0 });
    try {
      for (const event of events()) {
        renderer.onEvent(event);
        jest.advanceTimersByTime(250);
      }
    } finally {
      jest.useRealTimers();
    }
    expect(written).not.toContain('\x1b');
    expect(written).toContain('data: started (x.load)\ndata: done in 120ms\n');
    expect(written).toMatch(
      /^train: epoch 2\/2 loss 0\.2500 val_loss 0\.3000 acc 0\.8000 val_acc 0\.9000 \([\d,]+ samples\/s, ETA 0ms\)$/m,
    );
  });
});

describe('terminalStyle', () => {
  it.each([
    [true, {}, true, true],
    [true, { CI: 'true' }, false, false],
    [true, { CI: 'false' }, true, true],
    [true, { NO_COLOR: '1' }, true, false],
    [true, { NO_COLOR: '' }, true, true], // no-color.org: set and not empty
    [true, { TERM: 'dumb' }, false, false],
    [false, {}, false, false],
    [false, { FORCE_COLOR: '1' }, false, true],
    [true, { CI: 'true', FORCE_COLOR: '1' }, false, true],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, false],
  ])('a terminal: %s, env %j -> live %s, colour %s', (isTTY, env, live, colour) => {
    const style = terminalStyle(isTTY, env);
    expect(style.live).toBe(live);
    expect(style.colors.isColorSupported).toBe(colour);
  });
});
