import { describe, expect, it } from 'vitest';
import { loadProjects } from '../../cli/project.ts';
import { targetsOf } from '../../cli/simulation/targets.ts';
import { compileProject } from '../../shared/aop/compile.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * What `aop simulate` must cover, read from the compiled graph: a "not found" branch no customer's
 * words can take (a write failing after its look-up passed, a look-up of a value picked from a closed
 * list) is listed apart, with the loop bound met only through it; the look-up of a value the customer
 * typed stays a branch to cover even when a write later produces the same fact.
 */
describe('simulation targets', async () => {
  const { projects } = await loadProjects([RETAIL_AOPS]);
  const project = projects[0]!;
  const compiled = compileProject(project.sources, { catalogue: project.catalogue });
  const library = new Map(compiled.map((aop) => [aop.id, aop.ir]));
  const kinds = (aopId: string) => {
    const aop = compiled.find((candidate) => candidate.id === aopId)!;
    const { targets } = targetsOf(aop.ir, library, project.catalogue, aop.manifest!.sourceMap);
    return new Map(targets.map((target) => [target.id, target.kind]));
  };

  it('the order look-up failing is a branch; the cancellation failing after it is not', () => {
    const cancel = kinds('cancel-pending-order');
    expect(cancel.get('find-order.branches→find-order.b1.2')).toBe('branch');
    expect(cancel.get('find-order.b1.3.exhausted')).toBe('loop-bound');
    expect(cancel.get('cancel.branches→cancel.b1.2')).toBe('tool-failure');
  });

  it('a product picked from the listed product types is always found, and its loop bound never met', () => {
    const product = kinds('product-information');
    const notFound = [...product].filter(([id]) => id.startsWith('find-product.'));
    expect(notFound.length).toBeGreaterThanOrEqual(2);
    expect(
      notFound
        .filter(([id]) => id.includes('→find-product.b1') || id.endsWith('.exhausted'))
        .map(([, kind]) => kind),
    ).toEqual(['tool-failure', 'tool-failure']);
    expect(product.get('find-product.branches→tell.1')).toBe('branch');
  });
});
