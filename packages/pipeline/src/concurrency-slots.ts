import { catchError, defer, EMPTY, ignoreElements, mergeMap, Observable, Subject, takeUntil, tap } from 'rxjs';

/**
 * At most `limit` works at once, the rest waiting in order: RxJS's own `mergeMap(task, limit)` over
 * a queue of them. `run(work)` waits for a slot, then is `work`; unsubscribing before the slot
 * comes leaves the queue, after it gives the slot back. Used by the executor (stages) and by the
 * runner's sweeps (trials).
 */
export function concurrencySlots(limit: number) {
  const queue = new Subject<Observable<never>>();
  queue.pipe(mergeMap((task) => task, limit)).subscribe();
  return {
    run<T>(work: Observable<T>): Observable<T> {
      return new Observable<T>((subscriber) => {
        const left = new Subject<void>();
        // the slot is held while the task is subscribed: until `work` ends or the subscriber leaves
        const task = defer(() => (subscriber.closed ? EMPTY : work.pipe(tap(subscriber), takeUntil(left)))).pipe(
          ignoreElements(),
          catchError(() => EMPTY), // the error went to the subscriber; the queue goes on
        );
        queue.next(task);
        return () => left.next();
      });
    },
  };
}
