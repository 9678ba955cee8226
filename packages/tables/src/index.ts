export { stages } from './stages.js';
