import type { Argv } from 'yargs';

/** What every `runs` subcommand takes: the runs folder, and text, JSON or CSV. */
export const tableOptions = <T>(y: Argv<T>) =>
  y
    .option('out', { type: 'string', requiresArg: true, default: 'runs', describe: 'the folder of runs' })
    // no defaults: yargs counts a defaulted option as given when it checks conflicts
    .option('json', { type: 'boolean', describe: 'print JSON' })
    .option('csv', { type: 'boolean', describe: 'print CSV' })
    .conflicts('json', 'csv');
