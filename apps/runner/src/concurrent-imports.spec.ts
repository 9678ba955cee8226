// The CLI loads its commands and packages lazily, and a run's stages import them concurrently
// (mnist-select's four models each import @stagegraph/core-tensor at once). Under jest on Node < 24.9
// that raced in the vm linker ("request for './canonical-json.js' is not in cache") until
// tools/jest/serial-link-runtime.cjs linked one graph at a time.
it('first-time imports of overlapping module graphs, all at once, each load', async () => {
  const loaded = await Promise.all([
    import('./commands/run.action.js'),
    import('./commands/predict.action.js'),
    import('./commands/serve.action.js'),
    import('./commands/inspect.actions.js'),
    import('./tensors/lazy-backend.js'),
    import('./cli-error.js'),
  ]);
  for (const namespace of loaded) expect(Object.keys(namespace).length).toBeGreaterThan(0);
});
