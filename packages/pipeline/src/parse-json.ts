import { ConfigError } from './errors.js';
import { refusePrototypeKey } from './prototype-keys.js';

/** Deeper configs are refused in one line rather than overflowing the stack. */
const MAX_DEPTH = 100;

/**
 * A strict JSON parser that says where it failed (line and column) and rejects duplicate object
 * keys, which JSON.parse would silently collapse (two stages with one id would lose one).
 */
export function parseJsonStrict(text: string, file = '<config>'): unknown {
  const reader = new StrictJsonReader(text, file);
  const value = reader.value('', 0);
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail('end of input');
  return value;
}

class StrictJsonReader {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  fail(what: string): never {
    const before = this.text.slice(0, this.pos).split('\n');
    const found = this.pos >= this.text.length ? 'end of input' : JSON.stringify(this.text[this.pos]);
    const column = before[before.length - 1].length + 1;
    throw new ConfigError(
      [`invalid JSON at line ${before.length}, column ${column}: expected ${what}, got ${found}`],
      this.file,
    );
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  /** Whether the next character (after space) is `char`, taking it if so. */
  private take(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  value(path: string, depth: number): unknown {
    this.skipSpace();
    const char = this.text[this.pos];
    // a config is a few levels deep; 10,000 brackets would overflow the stack instead of saying so
    if (depth >= MAX_DEPTH && (char === '{' || char === '[')) this.fail(`at most ${MAX_DEPTH} levels of nesting`);
    if (char === '{') return this.object(path, depth);
    if (char === '[') return this.array(path, depth);
    if (char === '"') return this.string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.pos, this.pos + 64),
    );
    if (!literal) return this.fail('a JSON value');
    this.pos += literal[0].length;
    return JSON.parse(literal[0]);
  }

  private string(): string {
    if (this.text[this.pos] !== '"') this.fail('a string');
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    if (this.pos >= this.text.length) this.fail('a closing quote');
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      this.pos = start;
      return this.fail('a valid string');
    }
  }

  private object(path: string, depth: number): Record<string, unknown> {
    this.pos++;
    const result: Record<string, unknown> = {};
    if (this.take('}')) return result;
    for (;;) {
      this.skipSpace();
      const keyStart = this.pos;
      const key = this.string();
      const at = `${path ? path + '.' : ''}${key}`;
      refusePrototypeKey(key, `${at} (line ${this.text.slice(0, keyStart).split('\n').length})`, this.file);
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        this.pos = keyStart;
        throw new ConfigError([`${at}: duplicate key "${key}"`], this.file);
      }
      if (!this.take(':')) this.fail('":"');
      result[key] = this.value(at, depth + 1);
      if (this.take('}')) return result;
      if (!this.take(',')) this.fail('"," or "}"');
    }
  }

  private array(path: string, depth: number): unknown[] {
    this.pos++;
    const result: unknown[] = [];
    if (this.take(']')) return result;
    for (;;) {
      result.push(this.value(`${path}[${result.length}]`, depth + 1));
      if (this.take(']')) return result;
      if (!this.take(',')) this.fail('"," or "]"');
    }
  }
}
