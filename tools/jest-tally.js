// Prints the workspace's test tally from .jest-tally/ as one line: "N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const dir = new URL('../.jest-tally/', import.meta.url);
if (!existsSync(dir)) {
  // Nx can report a cache hit whose outputs it cannot restore (its task database outlived the cache folder)
  console.error('jest-tally: expected .jest-tally/ from the test targets, got none; rerun with `npx nx reset` first');
  process.exit(1);
}
const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of readdirSync(dir, { recursive: true }).filter((name) => name.endsWith('tally.json'))) {
  const tally = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  for (const key of Object.keys(total)) total[key] += tally[key];
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 || total.passed === 0 ? 1 : 0;
