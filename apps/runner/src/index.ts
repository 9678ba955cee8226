export { main } from './main.js';
export type { Output } from './output.js';
export { workspaceCodecs, workspaceStages } from './workspace-registry.js';
