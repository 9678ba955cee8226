import type { RunEvent } from '@stagegraph/pipeline';

/** Shows a run's events to a person or a program; `close` runs once at the end. */
export interface EventRenderer {
  onEvent(event: RunEvent): void;
  close(): void;
}
