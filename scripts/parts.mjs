// Lazily loaded parts of the extension bundles, without duplicating a module.
//
// A chain is an entry bundle (what activation needs) followed by parts the entry loads at run
// time, in order, when first needed (src/parts/loader.ts). Every module lives in exactly one file
// of the chain: a part that imports a module an earlier file of the chain already holds does not
// bundle it again but takes that very module object from the earlier file at run time. So there
// is one instance of each module (one copy of its state, classes that `instanceof` agree on), and
// the bytes a part adds are only its own.
//
// How: pass 1 builds every file of the chain on its own (metafile only) to learn which modules
// each holds. Pass 2 builds each file from a generated entry that re-exports the real entry and
// exposes, under `__cowModules`, every module of its own that a later file imports; a plugin
// turns each import of a module an earlier file holds into `__cowShared(id)`, a function the
// loader passes in when it evaluates the part (the way VS Code's web worker extension host
// evaluates an extension's main file: source text wrapped in `new Function`).
import * as esbuild from 'esbuild';
import { relative, resolve } from 'node:path';

const SHARED_NS = 'cow-shared';
const ENTRY_NS = 'cow-part-entry';

/** Module ids as the metafile names them: paths relative to the working directory. */
const idOf = (absolute) => relative(process.cwd(), absolute).split('\\').join('/');

function inputsOf(metafile) {
  return new Set(Object.keys(metafile.inputs).filter((f) => !f.includes(':')));
}

/** Turns imports of modules an earlier file of the chain holds into lookups of that module. */
function takeFromEarlier(provided) {
  return {
    name: 'cow-take-from-earlier',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.cowResolving || args.namespace === SHARED_NS || args.kind === 'entry-point') return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { cowResolving: true } });
        if (found.errors.length > 0 || found.external || !found.path) return undefined;
        const id = idOf(found.path);
        return provided.has(id) ? { path: id, namespace: SHARED_NS } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: SHARED_NS }, (args) => ({ contents: `module.exports = __cowShared(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}

/** The generated entry: the real one's exports, plus the modules later files take from this one. */
function exposing(entry, exposed, register) {
  return {
    name: 'cow-part-entry',
    setup(build) {
      build.onResolve({ filter: /^cow-part-entry$/ }, () => ({ path: 'entry', namespace: ENTRY_NS }));
      build.onLoad({ filter: /.*/, namespace: ENTRY_NS }, () => {
        const ids = [...exposed].sort();
        const lines = [`export * from ${JSON.stringify(resolve(entry))};`];
        ids.forEach((id, i) => lines.push(`import * as m${i} from ${JSON.stringify(resolve(id))};`));
        lines.push(`export const __cowModules = { ${ids.map((id, i) => `${JSON.stringify(id)}: m${i}`).join(', ')} };`);
        if (register) lines.push(`import { provideModules } from ${JSON.stringify(resolve(register))};`, 'provideModules(__cowModules);');
        return { contents: lines.join('\n'), loader: 'ts', resolveDir: process.cwd() };
      });
    },
  };
}

/**
 * Builds a chain. `files`: [{ entryPoints: [entry], outfile }, ...], entry first; `options`: the
 * esbuild options they share. `register`: the module of the entry bundle whose `provideModules`
 * receives the entry's own exposed modules. Returns { results, duplicated } — esbuild's results
 * in order, and the modules found in more than one file (none, unless this script is wrong).
 */
export async function buildChain(files, options, register) {
  const pass1 = await Promise.all(files.map((f) => esbuild.build({ ...options, ...f, metafile: true, write: false, minify: false, sourcemap: false, logLevel: 'silent' })));
  const held = pass1.map((r) => inputsOf(r.metafile));
  const owner = new Map();
  held.forEach((set, i) => set.forEach((id) => owner.has(id) || owner.set(id, i)));
  const results = [];
  for (let i = 0; i < files.length; i++) {
    const later = new Set(held.slice(i + 1).flatMap((s) => [...s]));
    const exposed = [...held[i]].filter((id) => owner.get(id) === i && later.has(id) && !/\.d\.ts$/.test(id));
    const provided = new Set([...owner].filter(([, o]) => o < i).map(([id]) => id));
    const { entryPoints, ...rest } = files[i];
    const plugins = [...(options.plugins ?? []), exposing(entryPoints[0], exposed, i === 0 ? register : undefined), ...(i === 0 ? [] : [takeFromEarlier(provided)])];
    results.push(await esbuild.build({ ...options, ...rest, entryPoints: ['cow-part-entry'], metafile: true, plugins }));
  }
  const seen = new Map();
  const duplicated = [];
  for (const r of results) {
    for (const [id, input] of Object.entries(Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {})) {
      if (id.includes(':') || input.bytesInOutput === 0) continue;
      if (seen.has(id)) duplicated.push(id);
      seen.set(id, true);
    }
  }
  return { results, duplicated };
}
