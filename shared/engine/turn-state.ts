import { z } from 'zod';

/**
 * The turn state: the input and output of every state of a compiled AOP state machine (see
 * shared/aop/lower.ts). Task Lambdas receive `{ state, <op> }` and return the whole state updated.
 */
export const TurnStateSchema = z.object({
  ctx: z.object({
    conversationId: z.string(),
    tenant: z.string(),
    turn: z.int().nonnegative(),
    aop: z.object({ id: z.string(), version: z.int().nonnegative() }),
    /** Seq of the last event the turn has seen; each step appends after it (optimistic concurrency). */
    seq: z.int().nonnegative(),
    /** Hash of the event at `seq`, so appends need not read the chain head again. */
    hash: z.string().optional(),
  }),
  message: z.string(),
  resume: z.string(),
  facts: z.record(z.string(), z.unknown()),
  confirm: z.record(z.string(), z.boolean()),
  counters: z.record(z.string(), z.object({ n: z.int() })),
  clock: z.object({ now: z.string(), cutoffs: z.record(z.string(), z.string()) }),
  pause: z
    .object({ resume: z.string(), awaiting: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
  replies: z.array(z.string()),
  /**
   * Events recorded by this turn's steps and not yet written (StepDependencies.deferAppends): the
   * ingress appends them with the turn's end. Checked against the catalogue when appended.
   */
  pending: z.array(z.record(z.string(), z.unknown())).optional(),
  status: z.enum(['active', 'resolved', 'escalated']),
  /**
   * The ask whose choice the request's first words already made (steps.ts earlyChoice): its
   * `.asked` Choice goes on instead of waiting. Set only by that ask's reply step.
   */
  taken: z.string().optional(),
  error: z.unknown().optional(),
  /**
   * What the Understand step decided this turn does instead of (or before) resuming the procedure:
   * the ASL's Repair states read it (shared/engine/repair.ts). Absent: resume the procedure.
   */
  repair: z
    .object({
      then: z.enum(['pause', 'end', 'resume', 'handoff']),
      text: z.string().optional(),
      reason: z.string().optional(),
    })
    .optional(),
});
export type TurnState = z.infer<typeof TurnStateSchema>;

/** A new variant chosen per chosen record (shared/aop/lower.ts VariantsSpec; shared/engine/variants.ts). */
export const VariantsSpecSchema = z.object({
  per: z.string(),
  records: z.string(),
  key: z.string(),
  tool: z.string(),
  list: z.string(),
  value: z.string(),
  available: z.string().nullable(),
  price: z.string().nullable(),
  others: z.boolean().optional(),
});
export type VariantsSpec = z.infer<typeof VariantsSpecSchema>;

/** Records the agent already knows that answer a whole ask (shared/aop/lower.ts KnownSpec). */
export const KnownSpecSchema = z.object({
  name: z.string(),
  facts: z.array(z.string()),
  asking: z.string(),
  sources: z.array(
    z.object({
      path: z.string(),
      list: z.boolean(),
      field: z.array(z.string()),
      id: z.string().nullable(),
      label: z.string().nullable(),
    }),
  ),
});
export type KnownSpec = z.infer<typeof KnownSpecSchema>;

export const SlotSpecSchema = z.object({
  name: z.string(),
  description: z.string(),
  schema: z.record(z.string(), z.unknown()),
  options: z.string().nullable(),
  describedBy: z.string().optional(),
  variants: VariantsSpecSchema.optional(),
  known: KnownSpecSchema.optional(),
  allowed: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
});

/** Where each slot is first asked, and what each fact was derived from (shared/aop/lower.ts RepairFlow). */
export const RepairFlowSchema = z.object({
  asks: z.record(z.string(), z.string()),
  depends: z.record(z.string(), z.array(z.string())),
  /** Questions in source order; machines compiled before it was added have none. */
  order: z.array(z.string()).optional(),
  /** Facts more than one question asks for: never read before one of them is asked. */
  repeated: z.array(z.string()).optional(),
});

export const UnderstandInputSchema = z.object({
  state: TurnStateSchema,
  slots: z.array(SlotSpecSchema),
  flow: RepairFlowSchema.optional(),
});
export const ToolInputSchema = z.object({
  state: TurnStateSchema,
  call: z.object({
    tool: z.string(),
    produces: z.string().nullable(),
    step: z.string(),
    action: z.string(),
    args: z.record(z.string(), z.unknown()),
    /** A bounded "for each" (ir.ts Each): the ids, the parameter each is passed as, the bound, the list fact. */
    each: z
      .object({ ids: z.unknown(), arg: z.string(), max: z.int().positive(), into: z.string() })
      .optional(),
  }),
});
export const ReplyInputSchema = z.object({
  state: TurnStateSchema,
  say: z.object({
    text: z.string(),
    exact: z.boolean(),
    step: z.string(),
    action: z.string(),
    options: z.string().nullable(),
    /** Bare ids offered as choices are looked up one by one with this read tool (arg: its parameter). */
    describe: z.object({ tool: z.string(), arg: z.string() }).optional(),
    /** The variants of each chosen record's product are looked up and offered by their attributes. */
    variants: VariantsSpecSchema.extend({ slot: z.string() }).optional(),
    /** Records the agent already knows are listed for the customer to pick from (known-records.ts). */
    known: KnownSpecSchema.optional(),
    confirm: z.string().optional(),
    /**
     * The slot a choice question asks for: before asking, the request's first words are read against
     * the options, and a choice they already make is taken instead of asked (steps.ts earlyChoice).
     */
    choice: z
      .object({ name: z.string(), description: z.string(), schema: z.record(z.string(), z.unknown()) })
      .optional(),
    /**
     * The facts a question for records the agent knows asks for (a new address): before asking, the
     * request's first words are read for them, and a value given whole there ("change the address on
     * my order to 12 Oak St, Austin TX 78701") is taken instead of asked (steps.ts earlyAnswers).
     */
    answers: z
      .array(
        z.object({ name: z.string(), description: z.string(), schema: z.record(z.string(), z.unknown()) }),
      )
      .optional(),
  }),
});
export const HandoffInputSchema = z.object({
  state: TurnStateSchema,
  handoff: z.object({
    reason: z.string(),
    step: z.string(),
    action: z.string(),
    /** What `System.Failed` caught (`{ Error, Cause }`): the hand-off's reason names it. */
    error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  }),
});
