import type { StoredEvent } from '../events/catalogue.ts';
import { json } from './describe.ts';

/**
 * Exact comparison of recorded and re-executed events, field by field, naming the first value that
 * differs (`data.text`, `data.output.status`…) so a diff reads as a sentence, not as two JSON blobs.
 */

/** What replay compares; `seq`, `prevHash` and `hash` follow from these when the log is intact. */
export const COMPARED_FIELDS = ['type', 'actor', 'turn', 'aop', 'step', 'time', 'data'] as const;

export interface EventDifference {
  /** Position in the recorded log (or where the extra event would have gone). */
  readonly seq: number;
  /** `missing`: replay did not produce a recorded event; `extra`: replay produced one more. */
  readonly kind: 'changed' | 'missing' | 'extra';
  /** Dotted path of the first differing value, e.g. `data.text`. */
  readonly path: string;
  readonly recorded: StoredEvent | undefined;
  readonly replayed: StoredEvent | undefined;
  readonly recordedValue: string;
  readonly replayedValue: string;
}

export function compareEvents(
  recorded: readonly StoredEvent[],
  replayed: readonly StoredEvent[],
  fields: readonly string[] = [...COMPARED_FIELDS, 'seq', 'prevHash', 'hash'],
): EventDifference | undefined {
  const length = Math.max(recorded.length, replayed.length);
  for (let index = 0; index < length; index++) {
    const before = recorded[index];
    const after = replayed[index];
    if (!before || !after) {
      const present = (before ?? after)!;
      return {
        seq: before?.seq ?? (recorded.at(-1)?.seq ?? present.seq - 1) + 1,
        kind: before ? 'missing' : 'extra',
        path: 'type',
        recorded: before,
        replayed: after,
        recordedValue: before ? before.type : '(nothing)',
        replayedValue: after ? after.type : '(nothing)',
      };
    }
    for (const field of fields) {
      const path = firstDifference(
        (before as unknown as Record<string, unknown>)[field],
        (after as unknown as Record<string, unknown>)[field],
        field,
      );
      if (path)
        return {
          seq: before.seq,
          kind: 'changed',
          path: path.path,
          recorded: before,
          replayed: after,
          recordedValue: path.left,
          replayedValue: path.right,
        };
    }
  }
  return undefined;
}

/** The first path at which two JSON values differ, with both values there; undefined when equal. */
export function firstDifference(
  left: unknown,
  right: unknown,
  path: string,
): { path: string; left: string; right: string } | undefined {
  if (json(left) === json(right)) return undefined;
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      const inner = firstDifference(left[key], right[key], `${path}.${key}`);
      if (inner) return inner;
    }
  }
  if (Array.isArray(left) && Array.isArray(right) && left.length === right.length) {
    for (let index = 0; index < left.length; index++) {
      const inner = firstDifference(left[index], right[index], `${path}[${index}]`);
      if (inner) return inner;
    }
  }
  return {
    path,
    left: left === undefined ? '(absent)' : json(left),
    right: right === undefined ? '(absent)' : json(right),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
