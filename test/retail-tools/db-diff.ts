/**
 * The differences between two JSON documents as JSON-pointer paths, shaped like τ²-bench's
 * `db_diff`: objects are compared key by key, arrays of equal length item by item, and anything
 * else (including arrays whose length changed) is replaced whole.
 *
 * A change is `{ path, value }`; a removed key has no `value`. τ² dumps its database with every
 * optional field present as null, so a field an action sets first shows there as a `replace` with
 * `old: null`; our records omit unset fields, so the same change is an added key here. Comparing
 * `{ path, value }` sets (old values and op names aside) makes the two agree.
 */

export interface Change {
  readonly path: string;
  readonly value?: unknown;
}

export interface Tau2DiffEntry {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly old?: unknown;
  readonly value?: unknown;
}

export function diffJson(before: unknown, after: unknown, path = ''): Change[] {
  if (isObject(before) && isObject(after)) {
    const changes: Change[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = `${path}/${escapePointer(key)}`;
      if (!(key in after)) changes.push({ path: at });
      else if (!(key in before)) changes.push({ path: at, value: after[key] });
      else changes.push(...diffJson(before[key], after[key], at));
    }
    return changes;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => diffJson(item, after[i], `${path}/${i}`));
  }
  return sameJson(before, after) ? [] : [{ path, value: after }];
}

/** τ²'s entries in the same form: the new value, or none for a removal. */
export function fromTau2Diff(entries: readonly Tau2DiffEntry[]): Change[] {
  return entries.map((entry) =>
    entry.op === 'remove' ? { path: entry.path } : { path: entry.path, value: entry.value },
  );
}

/** Sorted by path, so two change sets compare with one `toEqual`. */
export function byPath(changes: readonly Change[]): Change[] {
  return [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) return diffJson(a, b).length === 0;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && diffJson(a, b).length === 0;
  return Object.is(a, b);
}
