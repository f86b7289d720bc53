import type { StoredEvent, StoredEventOf } from '../events/catalogue.ts';
import type { ToolCatalogue, ToolDeclaration } from '../tools/define-tool.ts';

/**
 * What rewinding a conversation to SEQ must undo, decided from its event log alone (pure). Every write
 * recorded after SEQ is undone newest first, by the compensating tool its declaration names, with the
 * input that puts back the state the log recorded just before the write. A write with no compensation,
 * or whose earlier state the log never saw, is left to a person, with the reason.
 */

export type Undo =
  | {
      readonly kind: 'compensate';
      /** Seq of the write's `tool.succeeded`. */
      readonly forSeq: number;
      readonly tool: string;
      readonly compensation: string;
      readonly input: Record<string, unknown>;
      readonly write: StoredEventOf<'tool.succeeded'>;
    }
  /** A compensation for this write already ran (this rewind re-run after a crash, or an earlier rewind). */
  | { readonly kind: 'undone'; readonly forSeq: number; readonly tool: string }
  | { readonly kind: 'manual'; readonly forSeq: number; readonly tool: string; readonly reason: string };

export interface RewindPlan {
  /** A `conversation.rewound` to this SEQ is in the log already. */
  readonly recorded: boolean;
  /** The hand-off for this rewind is in the log already. */
  readonly handedOff: boolean;
  /** Newest write first. */
  readonly undo: readonly Undo[];
}

export const rewindSummaryPrefix = (toSeq: number) => `Rewind to seq ${toSeq}:`;

export function planRewind(
  events: readonly StoredEvent[],
  toSeq: number,
  catalogue: ToolCatalogue,
): RewindPlan {
  const rewound = events.find((event) => event.type === 'conversation.rewound' && event.data.toSeq === toSeq);
  const handedOff =
    rewound !== undefined &&
    events.some(
      (event) =>
        event.seq > rewound.seq &&
        event.type === 'handoff.requested' &&
        event.data.summary.startsWith(rewindSummaryPrefix(toSeq)),
    );
  const compensated = new Set(
    events.flatMap((event) => (event.type === 'compensation.ran' ? [event.data.forSeq] : [])),
  );
  const writes = events.filter(
    (event): event is StoredEventOf<'tool.succeeded'> =>
      event.type === 'tool.succeeded' && event.data.effect === 'write' && event.seq > toSeq,
  );
  const undo = writes.reverse().map((write): Undo => {
    const tool = write.data.tool;
    if (compensated.has(write.seq)) return { kind: 'undone', forSeq: write.seq, tool };
    const declaration = catalogue.get(tool);
    const compensation = declaration?.compensation ? catalogue.get(declaration.compensation) : undefined;
    if (!declaration || !compensation)
      return {
        kind: 'manual',
        forSeq: write.seq,
        tool,
        reason: `${tool} (seq ${write.seq}) declares no compensating action, so it cannot be undone automatically.`,
      };
    const derived = compensationInput(events, write, declaration, compensation);
    if (typeof derived === 'string') return { kind: 'manual', forSeq: write.seq, tool, reason: derived };
    return {
      kind: 'compensate',
      forSeq: write.seq,
      tool,
      compensation: compensation.name,
      input: derived,
      write,
    };
  });
  return { recorded: rewound !== undefined, handedOff, undo };
}

/**
 * The compensating tool's input: the resource the write acted on (its `owns` argument), and every
 * other parameter as the newest record of that resource before the write had it (a read's output, an
 * earlier write's output, or an earlier compensation's). Returns the reason when the log cannot tell.
 */
function compensationInput(
  events: readonly StoredEvent[],
  write: StoredEventOf<'tool.succeeded'>,
  declaration: ToolDeclaration,
  compensation: ToolDeclaration,
): Record<string, unknown> | string {
  const requested = [...events]
    .reverse()
    .find(
      (event) =>
        event.seq < write.seq && event.type === 'tool.requested' && event.data.tool === write.data.tool,
    );
  const writeInput = requested?.type === 'tool.requested' ? asRecord(requested.data.input) : undefined;
  const key = declaration.guards.owns?.arg;
  const id = key ? writeInput?.[key] : undefined;
  if (!writeInput || !key || id === undefined)
    return `${write.data.tool} (seq ${write.seq}): the log does not say which record it changed, so its earlier state is unknown.`;
  const before = [...events]
    .reverse()
    .filter((event) => event.seq < (requested?.seq ?? write.seq))
    .map((event) =>
      event.type === 'tool.succeeded' || event.type === 'compensation.ran'
        ? asRecord(event.data.output)
        : undefined,
    )
    .find((record) => record?.[key] === id);
  if (!before)
    return `${write.data.tool} (seq ${write.seq}): the conversation never recorded ${key} ${String(id)} before the change, so the earlier state to restore is unknown.`;
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(compensation.input.shape)) {
    if (name === key) {
      input[name] = id;
      continue;
    }
    const value = field(before, name);
    if (value === undefined)
      return `${write.data.tool} (seq ${write.seq}): the record before the change has no ${name}, which ${compensation.name} needs.`;
    input[name] = value;
  }
  const parsed = compensation.input.safeParse(input);
  if (!parsed.success)
    return `${write.data.tool} (seq ${write.seq}): the earlier state is not a valid ${compensation.name} input (${parsed.error.issues[0]?.message ?? 'invalid'}).`;
  return parsed.data as Record<string, unknown>;
}

/** A scalar field of the record, or of one of its nested objects (`address.city` for `city`). */
function field(record: Record<string, unknown>, name: string): unknown {
  const own = record[name];
  if (isScalar(own)) return own;
  for (const nested of Object.values(record)) {
    const value = asRecord(nested)?.[name];
    if (isScalar(value)) return value;
  }
  return undefined;
}

const isScalar = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
