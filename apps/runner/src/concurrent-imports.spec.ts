// The CLI loads its packages lazily, and a run's stages import them concurrently (mnist-select's four
// models each import @stagegraph/core-tensor at once). Under jest on Node < 24.9 that raced in the vm
// linker ("request for './canonical-json.js' is not in cache") until tools/jest/serial-link-runtime.cjs.
it('first-time imports of overlapping module graphs, all at once, each load', async () => {
  const loaded = await Promise.all([
    import('@stagegraph/models-classical'),
    import('@stagegraph/models-cnn'),
    import('@stagegraph/core-tensor'),
    import('@stagegraph/metrics'),
    import('@stagegraph/viz'),
  ]);
  for (const namespace of loaded) expect(Object.keys(namespace).length).toBeGreaterThan(0);
});
