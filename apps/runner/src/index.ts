export { main } from './main.js';
export type { Output } from './output.js';
export { BUILT_IN_PLUGINS, workspaceCodecs, workspaceStages } from './workspace-registry.js';
export { stageDoc, stagesAsMarkdown, stagesAsText, type StageDoc } from './render/stage-docs.js';
export { stageTableModules, withStageTables } from './render/readme-stage-tables.js';
