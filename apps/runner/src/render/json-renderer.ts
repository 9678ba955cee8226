import { eventToJson, type RunEvent } from '@stagegraph/pipeline';
import type { EventRenderer } from './event-renderer.js';

/** `--json`: every event as one JSON line on stdout, for programs. */
export class JsonRenderer implements EventRenderer {
  constructor(private readonly write: (text: string) => void) {}

  onEvent(event: RunEvent): void {
    this.write(eventToJson(event) + '\n');
  }

  close(): void {}
}
