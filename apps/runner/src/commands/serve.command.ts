import type { Argv } from 'yargs';
import { backendOptions } from '../cli-options.js';
import type { ArgsOf, CommandOf } from './command-context.js';

const builder = (y: Argv) =>
  backendOptions(
    y
      .option('runs', { type: 'string', requiresArg: true, default: 'runs', describe: 'the folder of runs to serve' })
      .option('port', {
        type: 'string',
        requiresArg: true,
        default: '8080',
        describe: 'port to listen on (0: any free one)',
      })
      .option('host', {
        type: 'string',
        requiresArg: true,
        default: '127.0.0.1',
        describe: 'address to listen on (0.0.0.0: every interface)',
      }),
    'tensor backend for predictions',
  )
    .option('quiet', { type: 'boolean', default: false, describe: 'do not log requests' })
    .option('pid-file', {
      type: 'string',
      requiresArg: true,
      describe: 'write the server process id to this file (removed when it stops): `kill $(cat FILE)` stops it',
    });
export type ServeCommandArgs = ArgsOf<typeof builder>;

/** `stagegraph serve`. */
export const serveCommand: CommandOf<typeof builder> = (context) => ({
  command: 'serve',
  describe: 'the web app: browse runs and reports, draw a digit or upload an image to a classifier, see a forecast',
  builder,
  handler: async (args) => {
    const { serveAction } = await import('./serve.action.js');
    context.exitCode = await serveAction(args, context.output);
  },
});
