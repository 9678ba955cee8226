/**
 * The runnable parts of a package README: fenced blocks whose info string is `sh install` (each
 * line an install command a user types), `js example` (a module) or `sh example` (a shell
 * script). An example states its output in `// prints: X` or `# prints: X` comments, in order.
 */
export interface ReadmeBlock {
  kind: 'install' | 'js' | 'sh';
  code: string;
  /** Lines the example must print, in this order, among whatever else it prints. */
  prints: string[];
}

const FENCE = /^```(sh install|js example|sh example)\n([\s\S]*?)^```$/gm;

export function readmeBlocks(readme: string): ReadmeBlock[] {
  return [...readme.matchAll(FENCE)].map(([, info, code]) => ({
    kind: info === 'sh install' ? 'install' : info === 'js example' ? 'js' : 'sh',
    code,
    prints: [...code.matchAll(/^\s*(?:\/\/|#) prints: (.*)$/gm)].map((m) => m[1].trim()),
  }));
}

/** The expected lines that are missing from `stdout` (in order), empty when all are there. */
export function missingPrints(stdout: string, prints: string[]): string[] {
  const lines = stdout.split('\n').map((l) => l.trim());
  let at = 0;
  const missing: string[] = [];
  for (const expected of prints) {
    const found = lines.indexOf(expected, at);
    if (found < 0) missing.push(expected);
    else at = found + 1;
  }
  return missing;
}
