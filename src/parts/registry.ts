// The modules of the files already loaded, by id (their path in the repository): what a lazily
// loaded part takes instead of bundling them again (scripts/parts.mjs builds it that way). The
// entry bundle provides its own when it starts; the loader adds each part's after evaluating it.
const modules = new Map<string, object>();

export function provideModules(exposed: Readonly<Record<string, object>>): void {
  for (const [id, module] of Object.entries(exposed)) modules.set(id, module);
}

/** The module a part imports: a bug in the build if it is not there, so it throws. */
export function sharedModule(id: string): object {
  const module = modules.get(id);
  if (!module) throw new Error(`CoW Lab: module ${id} was not loaded before the part that imports it`);
  return module;
}
