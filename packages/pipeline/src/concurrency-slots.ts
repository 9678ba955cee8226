import { Observable } from 'rxjs';

/**
 * At most `limit` holders at once. `acquire()` emits once a slot is granted; unsubscribing before
 * that leaves the queue, after it gives the slot back.
 */
export function concurrencySlots(limit: number) {
  let free = limit;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    acquire(): Observable<void> {
      return new Observable<void>((subscriber) => {
        let granted = false;
        const grant = () => {
          granted = true;
          subscriber.next();
          subscriber.complete();
        };
        if (free > 0) {
          free--;
          grant();
        } else waiting.push(grant);
        return () => {
          if (!granted) waiting.splice(waiting.indexOf(grant), 1);
        };
      });
    },
    release,
  };
}
