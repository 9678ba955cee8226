#!/usr/bin/env node
// A terminal session as a picture, for the docs: replays a transcript written by script(1) into
// xterm.js in Debian's Chromium (escape codes, redraws and colours as a terminal shows them) up to
// the first place a text appears, and screenshots the screen.
//   script -qfec "stty cols 132 rows 16; npx stagegraph run ..." session.log
//   node tools/screenshot-terminal.js session.log docs/screenshots/cli-progress.png --at "batch 136/" [--cols 132 --rows 16]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    at: { type: 'string' },
    cols: { type: 'string', default: '132' },
    rows: { type: 'string', default: '16' },
  },
});
const [transcriptFile, out] = positionals;
if (!transcriptFile || !out) {
  console.error('usage: node tools/screenshot-terminal.js <transcript> <out.png> [--at TEXT] [--cols N] [--rows N]');
  process.exit(2);
}
const transcript = readFileSync(transcriptFile, 'latin1'); // bytes as chars; decoded as UTF-8 in the page
// script(1) heads its file with a "Script started on ..." line that is not part of the session
const start = transcript.startsWith('Script started') ? transcript.indexOf('\n') + 1 : 0;
let end = transcript.length;
if (values.at) {
  const found = transcript.indexOf(values.at, start);
  if (found < 0) {
    console.error(`--at: expected text in ${transcriptFile}, got none matching "${values.at}"`);
    process.exit(2);
  }
  // the whole frame holding it: up to the next redraw's first erase
  const next = transcript.indexOf('\x1b[2K', found);
  end = next < 0 ? transcript.length : next;
}
const require = createRequire(import.meta.url);
const xterm = readFileSync(require.resolve('@xterm/xterm/lib/xterm.js'), 'utf8');
const css = readFileSync(require.resolve('@xterm/xterm/css/xterm.css'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-gpu'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  await page.setContent(
    `<!doctype html><html><head><style>${css} body{margin:0;background:#1e1e1e} #t{padding:10px;display:inline-block}</style></head><body><div id="t"></div><script>${xterm}</script></body></html>`,
  );
  await page.evaluate(
    ({ bytes, cols, rows }) =>
      new Promise((resolve) => {
        const term = new window.Terminal({
          cols,
          rows,
          fontSize: 14,
          fontFamily: 'DejaVu Sans Mono, monospace',
          theme: { background: '#1e1e1e' },
        });
        term.open(document.getElementById('t'));
        term.write(
          Uint8Array.from(bytes, (c) => c.charCodeAt(0)),
          resolve,
        );
      }),
    { bytes: transcript.slice(start, end), cols: Number(values.cols), rows: Number(values.rows) },
  );
  await page.locator('#t').screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
