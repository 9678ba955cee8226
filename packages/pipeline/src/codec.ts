import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Stores the values of one port kind as files. `save` writes only files named `<name>.*` inside
 * `dir`, so one folder can hold several ports, and the same call exports figures and metrics into a
 * run's output folder.
 */
export interface Codec<T = unknown> {
  readonly kind: string;
  save(value: T, dir: string, name: string): Promise<string[]>;
  load(dir: string, name: string): Promise<T>;
  /** Frees what the value holds (tensors, models) once the run is done with it. */
  dispose?(value: T): void;
}

export class CodecRegistry {
  private readonly codecs = new Map<string, Codec>();

  constructor(codecs: Iterable<Codec> = [jsonCodec, metricsCodec]) {
    for (const codec of codecs) this.register(codec);
  }

  register(codec: Codec): this {
    this.codecs.set(codec.kind, codec);
    return this;
  }

  get(kind: string): Codec {
    const codec = this.codecs.get(kind);
    if (!codec)
      throw new Error(`no codec registered for port kind "${kind}" (known: ${[...this.codecs.keys()].join(', ')})`);
    return codec;
  }

  has(kind: string): boolean {
    return this.codecs.has(kind);
  }

  /** The port kinds these codecs store: the only kinds a plugin's ports may have. */
  kinds(): ReadonlySet<string> {
    return new Set(this.codecs.keys());
  }
}

function jsonCodecOf(kind: string): Codec {
  return {
    kind,
    async save(value, dir, name) {
      const file = join(dir, `${name}.json`);
      await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
      return [file];
    },
    async load(dir, name) {
      return JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'));
    },
  };
}

/** Plain JSON-serialisable data (series, scaler parameters, histories). */
export const jsonCodec = jsonCodecOf('json');
/** Named numbers a run reports; the runner merges them into metrics.json. */
export const metricsCodec = jsonCodecOf('metrics');
