/** The parts of fabric this element uses, loaded on demand from fabric's per-module (tree-shakeable) build. */
export type FabricModule = Pick<typeof import('fabric/es'), 'Canvas' | 'PencilBrush' | 'Path' | 'Rect'>;

let fabricImport: Promise<FabricModule> | undefined;

/** One shared import for every painter on the page; forgotten on failure so "Try again" refetches. */
export function importFabric(): Promise<FabricModule> {
  // Destructuring lets the bundler drop the fabric modules this element never uses.
  fabricImport ??= import('fabric/es')
    .then(({ Canvas, PencilBrush, Path, Rect }) => ({ Canvas, PencilBrush, Path, Rect }))
    .catch((error: unknown) => {
      fabricImport = undefined;
      throw error;
    });
  return fabricImport;
}
