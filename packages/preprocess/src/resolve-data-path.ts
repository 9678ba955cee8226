import { resolveDataPath as resolveFrom } from '@stagegraph/pipeline';

/** `package:` paths also resolve from this package (it depends on vega-datasets); see pipeline's resolveDataPath. */
export const resolveDataPath = (path: string, workDir: string): string => resolveFrom(path, workDir, import.meta.url);
