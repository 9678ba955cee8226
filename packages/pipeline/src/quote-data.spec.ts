import { describe, expect, it } from '@jest/globals';
import { escapeControlCharacters, quoteData } from './quote-data.js';

describe('quoteData and escapeControlCharacters', () => {
  it('escapes terminal control sequences, C1 controls and DEL from data', () => {
    expect(quoteData('\x1b[2J\x9b1m\x7fok')).toBe('"\\x1b[2J\\x9b1m\\x7fok"');
    expect(escapeControlCharacters('a\x1b]0;title\x07b')).toBe('a\\x1b]0;title\\x07b');
  });

  it('keeps a quoted value on one line and short; keeps tabs and newlines of whole messages', () => {
    expect(quoteData('two\nlines')).toBe('"two\\x0alines"');
    expect(quoteData('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}..."`);
    expect(escapeControlCharacters('one\ttwo\nthree')).toBe('one\ttwo\nthree');
  });
});
