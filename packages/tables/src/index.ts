export { stages } from './stages.js';
export * from './prepare/index.js';
