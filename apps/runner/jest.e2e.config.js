import { e2e } from '../../jest.preset.js';

// The built CLI in child processes, Chromium, redis-server, s3rver, and whole pipelines trained through the CLI (the `e2e` target).
export default { ...e2e, displayName: 'runner e2e' };
