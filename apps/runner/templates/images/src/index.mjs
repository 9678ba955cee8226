// The plugin: a module whose `stages` export lists defineStage(...) results. A config names it in
// "plugins" (a path relative to the config, or this package's name once published).
import { classCountsStage } from './class-counts.mjs';

export const meta = { name: '{{name}}', version: '0.1.0' };
export const stages = [classCountsStage];
