// Loaded only through workspace-codecs.ts (a dynamic import): viz, and vega with it, loads when a figure is read or written.
export { figureCodec } from '@stagegraph/viz';
