import preset from '../../jest.preset.js';

// The unit tier: how READMEs are read; the installs are jest.e2e.config.js's.
export default { ...preset, displayName: 'registry-e2e' };
