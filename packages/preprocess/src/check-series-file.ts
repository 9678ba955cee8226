import { locatedPath, quoteData } from '@stagegraph/pipeline';
import { checkTableFile, type TableCheckMore, type TablePeek } from '@stagegraph/tables/read';
import { decimal, parseDate, type PriceSeriesOptions } from './load-price-series.js';
import { resolveDataPath } from './resolve-data-path.js';

/** How many rows the check reads: enough to tell a column of numbers or dates from one of text. */
export const CHECKED_ROWS = 100;

export type SeriesCheckParams = Omit<PriceSeriesOptions, 'located'> & { path: string };

const isNumber = (cell: string) => Number.isFinite(decimal(cell.trim()));
const isDate = (cell: string) => !Number.isNaN(parseDate(cell.trim()));

/** The first cells that are not what the column must hold, quoted, for the line that says so. */
const examples = (cells: string[], ok: (cell: string) => boolean) =>
  [...new Set(cells.map((cell) => cell.trim()).filter((cell) => !ok(cell)))]
    .slice(0, 3)
    .map((cell) => quoteData(cell))
    .join(', ');

/** The first rows (those `where` keeps): a date in every one, and numbers where the loader needs them. */
function firstRowsCheck(p: SeriesCheckParams, file: string, paramsPath: string): TableCheckMore {
  return async (peek: TablePeek, columns, where) => {
    if (where === undefined) return [];
    const numeric = [...columns.keys()].filter((param) => param !== 'dateColumn');
    const params = ['dateColumn', ...numeric];
    const cells = await peek.firstRows(
      params.map((param) => columns.get(param)!),
      CHECKED_ROWS,
      where,
    );
    const rows = cells[0].length;
    if (rows === 0)
      return [`${paramsPath}${Object.keys(where).length ? '.where' : '.path'}: expected rows in ${file}, got none`];
    const lines: string[] = [];
    const in_ = (param: string) => `column ${quoteData(columns.get(param)!)} of ${file}`;
    const badDate = examples(cells[0], isDate);
    if (badDate) lines.push(`${paramsPath}.dateColumn: expected dates in ${in_('dateColumn')}, got ${badDate}`);
    numeric.forEach((param, i) => {
      const column = cells[i + 1];
      const bad = examples(column, isNumber);
      // dropping rows without a number is the loader's way; a column with none in its first rows is text
      if (p.invalid === 'fail' ? bad : !column.some(isNumber))
        lines.push(`${paramsPath}.${param}: expected numbers in ${in_(param)}, got ${bad} in its first ${rows} rows`);
    });
    return lines;
  };
}

/**
 * load-csv's check: the file opens, has the date, value and feature columns (case folded as the
 * loader folds it) and `where`'s values, and its first rows hold dates and numbers there.
 */
export async function checkSeriesFile(p: SeriesCheckParams, workDir: string, paramsPath: string): Promise<string[]> {
  const file = resolveDataPath(p.path, workDir);
  const features = Array.isArray(p.features) ? p.features : [];
  return checkTableFile(
    {
      file,
      located: locatedPath(p.path, file, workDir),
      paramsPath,
      columns: [
        ['dateColumn', p.dateColumn],
        ['column', p.column],
        ...features.map((name, i) => [`features.${i}`, name] as [string, string]),
      ],
      where: p.where,
      foldCase: true,
      asText: true,
    },
    firstRowsCheck(p, file, paramsPath),
  );
}
