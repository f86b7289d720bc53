import { z } from 'zod';

/**
 * The event catalogue: every fact the platform records about a conversation (and, under stream ids like
 * `aop#<id>`, about the AOP registry). Event types are past tense and never renamed: stored histories
 * are replayed forever, so a rename would orphan them. To add an event type, add one entry to
 * `eventDataSchemas`; the unions, the types and the store pick it up. To change a payload, only add
 * optional fields.
 */

/** Free JSON payloads (tool input/output, model responses, slot values). */
const Json = z.json();
const Iso = z.iso.datetime({ offset: true });
const Name = z.string().min(1);
const Version = z.int().nonnegative();
const Millis = z.number().nonnegative();

export const eventDataSchemas = {
  'conversation.started': z.object({ tenant: Name, channel: Name }),
  'message.received': z.object({ messageId: Name, text: z.string(), channel: Name }),
  'turn.started': z.object({
    turn: z.int().nonnegative(),
    /** The clock for the whole turn: replays read time from here, never from the wall. */
    now: Iso,
    /** Pause point the turn resumes from; '' at the start of a conversation. */
    resume: z.string(),
  }),
  'turn.completed': z.object({
    turn: z.int().nonnegative(),
    /** Pause point the next turn resumes from; '' when the procedure finished. */
    resume: z.string(),
    status: z.enum(['active', 'resolved', 'escalated']),
    counters: z.record(z.string(), z.object({ n: z.int() })),
    /** What the pause waits for (slots or a confirmation), so the next turn knows how to read the answer. */
    awaiting: z.record(z.string(), Json).optional(),
  }),
  /**
   * A turn whose process died before it completed, closed by the next lease holder: the message it
   * was answering is answered again by a new turn, whose write tools find the outcome recorded under
   * the same idempotency key instead of acting twice (docs/runtime.md, "Crashes").
   */
  'turn.interrupted': z.object({
    turn: z.int().nonnegative(),
    reason: z.string(),
    /** The message the turn was answering, which the next turn answers again (absent in older logs). */
    messageId: Name.optional(),
    /**
     * What the turn left pending: each tool call it requested with no outcome on record, and what its
     * idempotency record says of it (the outcome is appended before this event). Absent in older logs.
     */
    pending: z
      .array(
        z.object({
          /** Seq of the `tool.requested`. */
          seq: z.int().min(1),
          tool: Name,
          idempotencyKey: Name,
          outcome: z.enum(['succeeded', 'not-run', 'unknown']),
        }),
      )
      .optional(),
  }),
  'aop.selected': z.object({
    aopId: Name,
    version: Version,
    reason: z.enum(['routed', 'rerouted', 'continued']),
    score: z.number().optional(),
    /**
     * The further requests of the message, to take up in this order once this procedure ends
     * (shared/engine/requests.ts); with reason `continued`, those still left after this one.
     */
    then: z.array(Name).optional(),
  }),
  'step.entered': z.object({ stepId: Name }),
  'slot.filled': z.object({
    name: Name,
    value: Json,
    source: z.enum(['model', 'tool', 'customer', 'computed']),
  }),
  'model.called': z.object({
    purpose: z.enum(['understand', 'route']),
    modelId: Name,
    requestHash: Name,
    response: Json,
    usage: z.object({ inputTokens: z.int().nonnegative(), outputTokens: z.int().nonnegative() }),
    latencyMs: Millis,
  }),
  /** A tool that establishes identity succeeded: from here on the conversation acts for this customer. */
  'customer.authenticated': z.object({ customerId: Name, tool: Name }),
  'guard.checked': z.object({ tool: Name, guard: Name, passed: z.boolean(), reason: z.string().optional() }),
  'confirmation.requested': z.object({
    stepId: Name,
    text: z.string(),
    /** Facts the question could not name (it said "unknown"): no yes to it allows a write. */
    missing: z.array(z.string()).optional(),
  }),
  'confirmation.recorded': z.object({ stepId: Name, confirmed: z.boolean() }),
  /**
   * A reply to a confirmation that neither agreed nor declined (a question, a condition, anything
   * unclear): no write may follow it; the question is asked again (DESIGN.md decision 8).
   */
  'confirmation.withheld': z.object({
    stepId: Name,
    consent: z.enum(['question', 'conditional', 'unclear']),
    act: z.string().optional(),
  }),
  'tool.requested': z.object({ tool: Name, input: Json, idempotencyKey: Name }),
  'tool.succeeded': z.object({
    tool: Name,
    output: Json,
    latencyMs: Millis,
    /** `write` results consume the confirmation that allowed them. */
    effect: z.enum(['read', 'write']).optional(),
    /**
     * Appended by the next lease holder for a call whose turn was interrupted: the tool's idempotency
     * record says the call happened, and `output` is the result it recorded (latency unknown, 0).
     */
    recovered: z.literal(true).optional(),
  }),
  'tool.failed': z.object({
    tool: Name,
    error: z.object({ code: Name, message: z.string() }),
    retryable: z.boolean(),
  }),
  /**
   * The outcome of a requested call that its turn's process never recorded, appended by the next lease
   * holder when it closes the interrupted turn: `happened: 'no'` when the tool's idempotency record
   * shows the call was never made (nothing changed; the message is answered again, and the call made
   * then, under the same key), `'unknown'` when the tenant keeps no record to ask.
   */
  'tool.abandoned': z.object({
    tool: Name,
    idempotencyKey: Name,
    /** Seq of the `tool.requested` it answers. */
    forSeq: z.int().min(1),
    happened: z.enum(['no', 'unknown']),
    reason: z.string(),
  }),
  'message.sent': z.object({ text: z.string(), stepId: Name.optional() }),
  'handoff.requested': z.object({ reason: z.string(), summary: z.string() }),
  /**
   * The ticket the tenant's helpdesk opened for a hand-off (shared/tools/handoff-connector.ts), or why it
   * could not: the hand-off stands either way (the conversation is escalated and its log holds it all).
   */
  'handoff.ticket': z.object({
    system: Name,
    /** Seq of the `handoff.requested` it was opened for. */
    forSeq: z.int().min(1),
    ticketId: z.string().nullable(),
    error: z.string().optional(),
  }),
  'conversation.resolved': z.object({}),
  'conversation.escalated': z.object({ reason: z.string() }),
  'conversation.abandoned': z.object({ reason: z.string() }),
  'conversation.rewound': z.object({ toSeq: z.int().nonnegative(), reason: z.string() }),
  'compensation.ran': z.object({ tool: Name, input: Json, output: Json, forSeq: z.int().min(1) }),
  'aop.published': z.object({ aopId: Name, version: Version, sourceHash: Name, note: z.string() }),
  /**
   * The release gate's verdict on a candidate before `live` moves (`aop publish`): each check and how it
   * went, the differences acknowledged, and whether it was forced past a failure.
   */
  'aop.gated': z.object({
    aopId: Name,
    sourceHash: Name,
    verdict: z.enum(['passed', 'blocked', 'forced']),
    checks: z.array(
      z.object({ name: Name, status: z.enum(['passed', 'failed', 'skipped']), detail: z.string() }),
    ),
    accepted: z.array(z.string()),
  }),
  'alias.moved': z.object({
    aopId: Name,
    alias: Name,
    /** null when the alias did not exist before. */
    fromVersion: Version.nullable(),
    toVersion: Version,
  }),
} as const;

type DataSchemas = typeof eventDataSchemas;
export type EventType = keyof DataSchemas;
export type EventData<T extends EventType> = z.infer<DataSchemas[T]>;

export const EVENT_TYPES = Object.keys(eventDataSchemas) as readonly EventType[];
export const EventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

export const ActorSchema = z.enum(['customer', 'agent', 'system', 'operator']);
export type Actor = z.infer<typeof ActorSchema>;

export const AopRefSchema = z.object({ id: Name, version: Version });
export type AopRef = z.infer<typeof AopRefSchema>;

/** sha256, lowercase hex. */
export const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');

/** What every event carries besides its payload; the caller supplies these. */
const envelopeShape = {
  time: Iso,
  actor: ActorSchema,
  aop: AopRefSchema.optional(),
  /** State/step id the event happened in. */
  step: Name.optional(),
  turn: z.int().nonnegative().optional(),
};

/** What the store adds when it appends: position and chain. */
const storedShape = {
  ...envelopeShape,
  conversationId: Name,
  seq: z.int().min(1),
  prevHash: HashSchema,
  hash: HashSchema,
};

type VariantOf<S extends z.ZodRawShape> = {
  [T in EventType]: z.ZodObject<S & { type: z.ZodLiteral<T>; data: DataSchemas[T] }>;
}[EventType];

/** One object schema per event type, discriminated on `type` (zod looks the variant up by key). */
function eventUnion<S extends z.ZodRawShape>(shape: S) {
  const variants = EVENT_TYPES.map((type) =>
    z.object({ ...shape, type: z.literal(type), data: eventDataSchemas[type] }),
  );
  // The map loses the per-type pairing TypeScript cannot follow; VariantOf restates it exactly.
  return z.discriminatedUnion('type', variants as unknown as [VariantOf<S>, ...VariantOf<S>[]]);
}

/** What a caller appends: the store assigns conversationId, seq, prevHash and hash. */
export const NewEventSchema = eventUnion(envelopeShape);
export type NewEvent = z.infer<typeof NewEventSchema>;

/** An event as stored and read back. */
export const StoredEventSchema = eventUnion(storedShape);
export type StoredEvent = z.infer<typeof StoredEventSchema>;

export type NewEventOf<T extends EventType> = Extract<NewEvent, { type: T }>;
export type StoredEventOf<T extends EventType> = Extract<StoredEvent, { type: T }>;

export function isEventOfType<T extends EventType>(event: StoredEvent, type: T): event is StoredEventOf<T> {
  return event.type === type;
}
