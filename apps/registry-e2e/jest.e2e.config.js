import { e2e } from '../../jest.preset.js';

// One long spec: a registry, eight publishes, installs from it (tfjs and sharp included).
export default { ...e2e, displayName: 'registry-e2e', testTimeout: 15 * 60 * 1000 };
