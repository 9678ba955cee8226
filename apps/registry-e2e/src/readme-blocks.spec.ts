import { describe, expect, it } from '@jest/globals';
import { missingPrints, readmeBlocks } from './readme-blocks.js';

describe('readme blocks', () => {
  it('finds install lines and examples with the output they promise, and nothing else', () => {
    const readme = [
      '```sh install',
      'npm install a',
      '```',
      '```sh',
      'npm install b',
      '```',
      '```js example',
      "console.log('x');",
      '// prints: x',
      '```',
    ].join('\n');
    expect(readmeBlocks(readme)).toEqual([
      { kind: 'install', code: 'npm install a\n', prints: [] },
      { kind: 'js', code: "console.log('x');\n// prints: x\n", prints: ['x'] },
    ]);
  });

  it('wants the promised lines in order among other output', () => {
    expect(missingPrints('noise\na\nmore\nb\n', ['a', 'b'])).toEqual([]);
    expect(missingPrints('b\na\n', ['a', 'b'])).toEqual(['b']);
    expect(missingPrints('a 1\n', ['a'])).toEqual(['a']);
  });
});
