import { didYouMean, isUserInputError, quoteData } from '@stagegraph/pipeline';
import { peekTable, type TablePeek } from './peek-table.js';
import type { WhereOption } from './table-options.js';

export interface TableCheckOptions {
  /** The file (already resolved): how the lines name it. */
  file: string;
  /** How a problem with the file itself names it: the config's path, where it resolved, from where. */
  located: string;
  /** Where the stage's params are (`stages.load.params`). */
  paramsPath: string;
  /** The params that name a column, by their path under paramsPath (`column`, `features.1`), and the name. */
  columns: [param: string, name: string][];
  /** `where`: each key a column, each value one at least one row holds. */
  where?: WhereOption;
  /** A name matches a column of another case when only one does (the series loader's rule); else exactly. */
  foldCase?: boolean;
  /** Read and compare as the series loader does (see PeekTableOptions.asText). */
  asText?: boolean;
}

/** The file's names for the columns the params name (by param path); the rest of a check reads these. */
export type MatchedColumns = Map<string, string>;

/** How many of a wide file's columns or a column's values a line shows. */
const SHOWN = 12;
const shownList = (values: string[], quote = false) =>
  values
    .slice(0, SHOWN)
    .map((v) => (quote ? quoteData(v) : v))
    .join(', ') + (values.length > SHOWN ? ', ...' : '');

/** The file's name for `wanted`: itself, or (folding case) the one column that matches ignoring case. */
function match(wanted: string, header: string[], foldCase: boolean): string | undefined {
  if (header.includes(wanted)) return wanted;
  const folded = foldCase ? header.filter((name) => name.toLowerCase() === wanted.toLowerCase()) : [];
  return folded.length === 1 ? folded[0] : undefined;
}

/** A line for a name the file has no column of: the file, its columns, the closest. */
const missingColumn = (at: string, wanted: string, header: string[], file: string) =>
  `${at}: expected one of the columns of ${file} (${shownList(header)}), got ${quoteData(wanted)}${didYouMean(wanted, header)}`;

/** Each `where` entry: its column there, and its value held by some row (a DISTINCT sample of them when not). */
async function whereLines(peek: TablePeek, options: TableCheckOptions, header: string[]) {
  const lines: string[] = [];
  const matched: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.where ?? {})) {
    const name = match(key, header, !!options.foldCase);
    if (name === undefined) lines.push(missingColumn(`${options.paramsPath}.where`, key, header, options.file));
    else if (!(await peek.holds(name, String(value)))) {
      const seen = await peek.values(name, SHOWN + 1);
      lines.push(
        `${options.paramsPath}.where.${key}: expected one of the values in column ${quoteData(name)} of ${options.file} (${shownList(seen, true)}), got ${quoteData(String(value))}`,
      );
    } else matched[name] = String(value);
  }
  return { lines, matched: lines.length === 0 ? matched : undefined };
}

export type TableCheckMore = (
  peek: TablePeek,
  columns: MatchedColumns,
  /** `where` with the file's names, when every entry holds (else undefined: the rows it keeps are unknown). */
  where: Record<string, string> | undefined,
) => Promise<string[]>;

/**
 * A table file's cheap check for a loader's `check`: that it opens (its format told by its content),
 * that the columns the params name are there (did-you-mean), that each `where` value is in its
 * column; then `more`, the loader's own look at the first rows, when all of that holds. One line each.
 */
export async function checkTableFile(options: TableCheckOptions, more?: TableCheckMore): Promise<string[]> {
  try {
    return await peekTable({ file: options.file, located: options.located, asText: options.asText }, async (peek) => {
      const header = peek.columns.map((c) => c.name);
      const lines: string[] = [];
      const columns: MatchedColumns = new Map();
      for (const [param, wanted] of options.columns) {
        const name = match(wanted, header, !!options.foldCase);
        if (name === undefined)
          lines.push(missingColumn(`${options.paramsPath}.${param}`, wanted, header, options.file));
        else columns.set(param, name);
      }
      const where = await whereLines(peek, options, header);
      lines.push(...where.lines);
      if (lines.length > 0 || !more) return lines;
      return more(peek, columns, where.matched);
    });
  } catch (error) {
    // the file itself: missing, a folder, not a table, unreadable
    if (!isUserInputError(error)) throw error;
    return [`${options.paramsPath}.path: ${error.message}`];
  }
}
