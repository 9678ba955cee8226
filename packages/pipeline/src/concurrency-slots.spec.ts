import { describe, expect, it } from '@jest/globals';
import { Observable, Subject, throwError } from 'rxjs';
import { concurrencySlots } from './concurrency-slots.js';

/** A work that logs its start and end, and emits and completes when `finish` is called. */
function work(log: string[], name: string) {
  const done = new Subject<string>();
  const observable = new Observable<string>((subscriber) => {
    log.push(`start ${name}`);
    const inner = done.subscribe(subscriber);
    return () => {
      log.push(`end ${name}`);
      inner.unsubscribe();
    };
  });
  return {
    observable,
    finish: () => {
      done.next(name);
      done.complete();
    },
  };
}

describe('concurrencySlots', () => {
  it('runs at most `limit` works at once, the others in the order they came', () => {
    const log: string[] = [];
    const slots = concurrencySlots(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => work(log, name));
    const got: string[] = [];
    for (const w of [a, b, c, d]) slots.run(w.observable).subscribe((value) => got.push(value));
    expect(log).toEqual(['start a', 'start b']);
    b.finish();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    a.finish();
    c.finish();
    d.finish();
    expect(got).toEqual(['b', 'a', 'c', 'd']);
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d']);
  });

  it('drops a work unsubscribed while it waits, and frees the slot of one unsubscribed while it runs', () => {
    const log: string[] = [];
    const slots = concurrencySlots(1);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => work(log, name));
    const running = slots.run(a.observable).subscribe();
    slots.run(b.observable).subscribe().unsubscribe(); // never starts
    slots.run(c.observable).subscribe();
    expect(log).toEqual(['start a']);
    running.unsubscribe();
    expect(log).toEqual(['start a', 'end a', 'start c']);
  });

  it('hands a failure to its subscriber and goes on with the next work', () => {
    const log: string[] = [];
    const slots = concurrencySlots(1);
    const errors: unknown[] = [];
    slots
      .run(throwError(() => new Error('broken')))
      .subscribe({ error: (error) => errors.push((error as Error).message) });
    const next = work(log, 'next');
    slots.run(next.observable).subscribe();
    expect(errors).toEqual(['broken']);
    expect(log).toEqual(['start next']);
  });
});
