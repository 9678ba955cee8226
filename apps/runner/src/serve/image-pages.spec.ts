import { describe, expect, it } from '@jest/globals';
import type { RunEntry } from '../runs/run-index.js';
import { drawPage, uploadPage } from './image-pages.js';

const run = (id: string) =>
  ({ id, pipeline: 'image-folder', startedAt: '2026-01-01T00:00:00.000Z', imageModels: ['models/train'] }) as RunEntry;

describe('the image pages', () => {
  it('shows class names (folder names, so data) as text, never as markup', () => {
    const names = ['<img src=x onerror=alert(1)>', 'a"b', 'plain'];
    const html = uploadPage([run('r1')], {
      run: run('r1'),
      info: { classNames: names, images: 'resized', height: 48, width: 32, channels: 3 },
    });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('data-class="&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain('data-class="a&quot;b"');
    expect(html).toContain('resized to 32x48');
    expect(html).toContain('one of 3 classes');
  });

  it('draws ten digit bars for a digit model, and still shows the page when its model cannot be loaded', () => {
    const info = {
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      images: 'mnist-digits' as const,
      height: 28,
      width: 28,
      channels: 1,
    };
    for (const html of [drawPage([run('d')], { run: run('d'), info }), drawPage([run('d')], { run: run('d') })])
      expect(html.match(/<div class="bar" data-class="\d">/g)).toHaveLength(10);
    expect(uploadPage([run('d')], { run: run('d') })).toContain("prepared for the model's input");
  });
});
