// Jest's module runtime with ES module graphs linked one at a time.
//
// Why: on Node < 24.9 jest links ES modules through node:vm's async `module.link()`, which instantiates a graph as
// soon as its own walk settles, even when a dependency it shares with another graph is still being linked by a
// concurrent import. Two first-time dynamic imports with a common dependency (the CLI's lazily loaded commands, or
// stages of one run importing @stagegraph/core-tensor at once) then fail with "request for './x.js' is not in cache"
// (nodejs/node#33216). Plain Node has no such race, so the fix belongs here, not in the code under test. Linking
// runs no module code, so queueing it cannot deadlock; evaluation stays concurrent.
const Runtime = require('jest-runtime').default;

class SerialLinkRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    linkOneGraphAtATime(this.esmLoader);
  }
}

function linkOneGraphAtATime(loader) {
  if (typeof loader?.linkAndEvaluateModule !== 'function' || !(loader.linkingMap instanceof WeakMap)) {
    throw new Error(
      'tools/jest/serial-link-runtime.cjs: jest-runtime no longer has EsmLoader.linkAndEvaluateModule; revisit it',
    );
  }
  const linkAndEvaluate = loader.linkAndEvaluateModule.bind(loader);
  let queue = Promise.resolve();
  loader.linkAndEvaluateModule = async (module) => {
    if (module.status === 'unlinked' || module.status === 'linking') {
      const turn = queue.then(() => linkAlone(loader, module));
      queue = turn.catch(() => undefined);
      // a link error is thrown below by jest's own path, which awaits the same link promise
      await turn.catch(() => undefined);
    }
    return linkAndEvaluate(module);
  };
}

/** Links `module` as jest's loader would, unless an earlier graph in the queue already linked it. */
async function linkAlone(loader, module) {
  if (module.status !== 'unlinked' || loader.linkingMap.has(module)) return loader.linkingMap.get(module);
  const linking = module.link(async (specifier, referencingModule, extra) => {
    const resolved = await loader.resolveModule(specifier, referencingModule.identifier, referencingModule.context);
    const attributes = extra?.attributes ?? extra?.assert ?? {};
    loader.importAttributeValidator.validate(resolved.identifier, attributes, referencingModule.identifier);
    return resolved;
  });
  loader.linkingMap.set(module, linking);
  return linking;
}

module.exports = SerialLinkRuntime;
module.exports.default = SerialLinkRuntime;
