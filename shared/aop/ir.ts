import { z } from 'zod';
import { SpanSchema } from './diagnostics.ts';

/**
 * The intermediate representation: what a procedure means, independent of its wording and of ASL.
 * Every node carries an explicit `kind` and the source span it came from. Facts and tools are kept as
 * written (`phrase`) and as resolved against the tool catalogue (`fact`/`path`), so validation can
 * report what the author wrote and lowering can use what it means.
 */

export const ValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Value = z.infer<typeof ValueSchema>;

export const FactRefSchema = z.object({
  /** What the author wrote, e.g. "the order status". */
  phrase: z.string(),
  span: SpanSchema,
  /** `order` in `order.status`; null when the phrase did not resolve. */
  fact: z.string().nullable(),
  path: z.array(z.string()),
  /** Nearby facts, for "did you mean" (unknown) or the choices (ambiguous). */
  candidates: z.array(z.string()),
  problem: z.enum(['unknown', 'ambiguous']).nullable(),
});
export type FactRef = z.infer<typeof FactRefSchema>;

export const ComparatorSchema = z.enum(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export type Condition =
  | { kind: 'compare'; op: z.infer<typeof ComparatorSchema>; left: FactRef; right: Value }
  /** Two facts compared ("the new price is higher than the old price"). */
  | { kind: 'compare-facts'; op: z.infer<typeof ComparatorSchema>; left: FactRef; right: FactRef }
  | { kind: 'one-of'; left: FactRef; values: Value[]; negate: boolean }
  | { kind: 'contains'; left: FactRef; value: Value; negate: boolean }
  | { kind: 'empty'; left: FactRef; negate: boolean }
  | { kind: 'found'; left: FactRef; negate: boolean }
  | { kind: 'days-ago'; left: FactRef; op: 'gt' | 'lt'; days: number }
  | { kind: 'confirmed'; value: boolean; step: string }
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('compare'), op: ComparatorSchema, left: FactRefSchema, right: ValueSchema }),
    z.object({
      kind: z.literal('compare-facts'),
      op: ComparatorSchema,
      left: FactRefSchema,
      right: FactRefSchema,
    }),
    z.object({
      kind: z.literal('one-of'),
      left: FactRefSchema,
      values: z.array(ValueSchema),
      negate: z.boolean(),
    }),
    z.object({ kind: z.literal('contains'), left: FactRefSchema, value: ValueSchema, negate: z.boolean() }),
    z.object({ kind: z.literal('empty'), left: FactRefSchema, negate: z.boolean() }),
    z.object({ kind: z.literal('found'), left: FactRefSchema, negate: z.boolean() }),
    z.object({
      kind: z.literal('days-ago'),
      left: FactRefSchema,
      op: z.enum(['gt', 'lt']),
      days: z.number().int().min(0),
    }),
    z.object({ kind: z.literal('confirmed'), value: z.boolean(), step: z.string() }),
    z.object({ kind: z.literal('and'), items: z.array(ConditionSchema) }),
    z.object({ kind: z.literal('or'), items: z.array(ConditionSchema) }),
  ]),
);

/**
 * `choosing from the available variants of the chosen items' products`: for each record chosen in an
 * earlier ask (`per`, an order's items), the customer picks a variant of the thing it is a variant of
 * (its product, looked up with `tool` by the record's `key`), by its attributes, never by id.
 */
export const VariantsSchema = z.object({
  /** The earlier slot whose chosen records each get a new variant (`item_ids`). */
  per: z.string(),
  /** Where that slot's records are (`order.items`), null when the phrase names no earlier choice. */
  records: FactRefSchema.nullable(),
  /** The field of each chosen record that the look-up takes (`product_id`). */
  key: z.string(),
  /** The allowed read tool that takes `key` (`get_product_details`), null when none is allowed. */
  tool: z.string().nullable(),
  /** Where the tool's result lists the variants (`variants`), null when it lists none. */
  list: z.string().nullable(),
  /** The field of a variant that is the slot's value (`item_id`). */
  value: z.string(),
  /** A variant's yes/no availability field, when the phrase says "available" and one exists. */
  available: z.string().nullable(),
  /** The price field both a variant and a chosen record have, for the difference. */
  price: z.string().nullable(),
  /** The phrase said "available": unavailable variants are refused with the reason. */
  onlyAvailable: z.boolean(),
  /**
   * The phrase said "other": the record's own variant is not on offer (an exchange for a different
   * option only); asked for, it is refused with the reason. Absent in IR compiled before it existed.
   */
  others: z.boolean().optional(),
  span: SpanSchema,
  phrase: z.string(),
});
export type Variants = z.infer<typeof VariantsSchema>;

/**
 * A computed fact's expression (`Work out the total refund: the sum of the prices of the chosen items`).
 * Evaluated by the runtime from the turn's facts alone (shared/engine/compute.ts), so a replay computes
 * the same value; no model is involved.
 */
export type Expr =
  /** A fact or a path into one; a path may go through lists (`order.fulfillments.tracking_id`). */
  | { op: 'fact'; ref: FactRef }
  | { op: 'literal'; value: Value }
  | { op: 'arith'; operator: 'add' | 'sub' | 'mul' | 'div'; left: Expr; right: Expr }
  /** `the sum of the prices of …`: `field` is read from each element of `list` (empty: the elements). */
  | {
      op: 'aggregate';
      fn: 'sum' | 'min' | 'max' | 'count' | 'first' | 'last';
      list: Expr;
      field: string[];
    }
  /** `the chosen items` (`order.items` whose `item_id` is in `item_ids`), `the items where …`. */
  | {
      op: 'filter';
      list: Expr;
      field: string[];
      test: 'in' | 'not-in' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
      value: Expr;
    }
  /** A decision table: the first row whose cells all hold gives the value (`otherwise` rows hold always). */
  | { op: 'table'; rows: { when: Condition; value: Value }[] };

export const ExprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.object({ op: z.literal('fact'), ref: FactRefSchema }),
    z.object({ op: z.literal('literal'), value: ValueSchema }),
    z.object({
      op: z.literal('arith'),
      operator: z.enum(['add', 'sub', 'mul', 'div']),
      left: ExprSchema,
      right: ExprSchema,
    }),
    z.object({
      op: z.literal('aggregate'),
      fn: z.enum(['sum', 'min', 'max', 'count', 'first', 'last']),
      list: ExprSchema,
      field: z.array(z.string()),
    }),
    z.object({
      op: z.literal('filter'),
      list: ExprSchema,
      field: z.array(z.string()),
      test: z.enum(['in', 'not-in', 'eq', 'ne', 'gt', 'ge', 'lt', 'le']),
      value: ExprSchema,
    }),
    z.object({
      op: z.literal('table'),
      rows: z.array(z.object({ when: ConditionSchema, value: ValueSchema })),
    }),
  ]),
);

/** A decision table as written: its columns (facts, then the result) and rows, for diagnostics. */
export const TableSchema = z.object({
  columns: z.array(z.object({ ref: FactRefSchema.nullable(), text: z.string(), span: SpanSchema })),
  rows: z.array(
    z.object({
      /** One cell per input column: what it tests, as written and as read (null: "any"). */
      cells: z.array(z.object({ text: z.string(), span: SpanSchema, when: ConditionSchema.nullable() })),
      value: ValueSchema,
      otherwise: z.boolean(),
      span: SpanSchema,
    }),
  ),
});
export type Table = z.infer<typeof TableSchema>;

/**
 * `offering the user address and the addresses of the orders`: records the agent already knows, each of
 * which answers every fact of the ask at once (an address's line 1, city, zip …). The customer picks one
 * in words ("my default address", "the one in Fort Worth", "same as order #W8277957") or types a new one.
 */
export const OfferSchema = z.object({
  ref: FactRefSchema,
  /** How the record is said when it is one record (`as "your default address"`); null: from the phrase. */
  label: z.string().nullable(),
  /** Where the list is inside the fact when the phrase names a list of records (`[]`: the fact is one). */
  list: z.array(z.string()).nullable(),
  /** Inside the record (or each element of the list): where the offered record is (`address`). */
  field: z.array(z.string()),
  /** The element's id field that names it to the customer (`order_id`), null when none. */
  id: z.string().nullable(),
  /** The record's text fields; null when the phrase names no record (nothing to offer). */
  fields: z.array(z.string()).nullable(),
});
export type Offer = z.infer<typeof OfferSchema>;

export const SlotSchema = z.object({
  /** The slot's fact name (a tool parameter), or the phrase when it did not resolve. */
  name: z.string(),
  ref: FactRefSchema,
  description: z.string(),
  /** JSON schema of the value, taken from the tool parameter that consumes it. */
  schema: z.record(z.string(), z.unknown()),
  /** Values offered to the customer, taken from a known fact (e.g. the order's items). */
  options: FactRefSchema.nullable(),
  /**
   * When the options are bare ids (`the user's orders`): the read tool, among those allowed, that
   * looks each one up so the customer is offered descriptions, not ids (`get_order_details`).
   */
  describedBy: z.string().nullable().optional(),
  /** Choosing a variant of each earlier chosen record's product, by its attributes. */
  variants: VariantsSchema.nullable().optional(),
  /** Records the agent already knows that answer the whole ask (`offering …`). */
  offers: z.array(OfferSchema).optional(),
  /** Values the procedure accepts ("It must be … or …"). */
  allowed: z.array(ValueSchema).nullable(),
  allowedSpan: SpanSchema.nullable(),
});
export type Slot = z.infer<typeof SlotSchema>;

/**
 * A bounded "for each": the read tool is called once per id of `list` (the last `max` of them), each
 * call an ordinary recorded read, and the results are kept, in order, as the list fact `into`.
 */
export const EachSchema = z.object({
  list: FactRefSchema,
  /** The tool parameter each id is passed as (`order_id`), null when the tool takes no single id. */
  arg: z.string().nullable(),
  max: z.number().int(),
  /** Whether the bound was written (`at most 10`) or is the default. */
  stated: z.boolean(),
  into: z.string(),
});
export type Each = z.infer<typeof EachSchema>;

export const ArgumentSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('fact'), ref: FactRefSchema, explicit: z.boolean() }),
  z.object({ source: z.literal('literal'), value: ValueSchema }),
  z.object({ source: z.literal('missing') }),
]);
export type Argument = z.infer<typeof ArgumentSchema>;

export type Action =
  | {
      kind: 'ask';
      id: string;
      span: z.infer<typeof SpanSchema>;
      slots: Slot[];
      /** Alternatives ("the email, or the name and zip code"): slot names per group; any complete group will do. */
      groups: string[][];
      /** The author's own question (`Ask for …: "Which card should settle the difference?"`), with its placeholders. */
      question?: { text: string; refs: FactRef[] };
    }
  | {
      kind: 'call';
      id: string;
      span: z.infer<typeof SpanSchema>;
      tool: string;
      toolSpan: z.infer<typeof SpanSchema>;
      args: Record<string, Argument>;
      produces: string | null;
      effect: 'read' | 'write' | null;
      /** `Look up each of the user's orders with @get_order_details (at most 10)`: one call per id. */
      each?: Each;
    }
  | {
      kind: 'say';
      id: string;
      span: z.infer<typeof SpanSchema>;
      text: string;
      exact: boolean;
      refs: FactRef[];
    }
  | {
      kind: 'confirm';
      id: string;
      span: z.infer<typeof SpanSchema>;
      text: string;
      exact: boolean;
      refs: FactRef[];
    }
  | { kind: 'escalate'; id: string; span: z.infer<typeof SpanSchema>; reason: string }
  | { kind: 'end'; id: string; span: z.infer<typeof SpanSchema> }
  | {
      kind: 'goto';
      id: string;
      span: z.infer<typeof SpanSchema>;
      target: string;
      /** The target as written ("2", "ask-order"). */
      targetText: string;
      max: number | null;
    }
  | {
      kind: 'follow';
      id: string;
      span: z.infer<typeof SpanSchema>;
      aop: string;
      aopSpan: z.infer<typeof SpanSchema>;
    }
  | {
      kind: 'if';
      id: string;
      span: z.infer<typeof SpanSchema>;
      branches: { when: Condition; then: Action[]; span: z.infer<typeof SpanSchema> }[];
      otherwise: Action[] | null;
    }
  | {
      /** `Work out <name>: <expression>` or a decision table: a fact the runtime computes from facts. */
      kind: 'compute';
      id: string;
      span: z.infer<typeof SpanSchema>;
      /** The computed fact's name (`total_refund`) and how the author wrote it. */
      name: string;
      phrase: string;
      /** null when the expression was not understood (AOP029 reports it). */
      expr: Expr | null;
      /** JSON schema of the value (`{type: 'number', format: 'money'}`), for types and placeholders. */
      schema: Record<string, unknown>;
      table?: Table;
    }
  | { kind: 'unknown'; id: string; span: z.infer<typeof SpanSchema>; text: string };

export const ActionSchema: z.ZodType<Action> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('ask'),
      id: z.string(),
      span: SpanSchema,
      slots: z.array(SlotSchema),
      groups: z.array(z.array(z.string())),
      question: z.object({ text: z.string(), refs: z.array(FactRefSchema) }).optional(),
    }),
    z.object({
      kind: z.literal('call'),
      id: z.string(),
      span: SpanSchema,
      tool: z.string(),
      toolSpan: SpanSchema,
      args: z.record(z.string(), ArgumentSchema),
      produces: z.string().nullable(),
      effect: z.enum(['read', 'write']).nullable(),
      each: EachSchema.optional(),
    }),
    z.object({
      kind: z.literal('say'),
      id: z.string(),
      span: SpanSchema,
      text: z.string(),
      exact: z.boolean(),
      refs: z.array(FactRefSchema),
    }),
    z.object({
      kind: z.literal('confirm'),
      id: z.string(),
      span: SpanSchema,
      text: z.string(),
      exact: z.boolean(),
      refs: z.array(FactRefSchema),
    }),
    z.object({ kind: z.literal('escalate'), id: z.string(), span: SpanSchema, reason: z.string() }),
    z.object({ kind: z.literal('end'), id: z.string(), span: SpanSchema }),
    z.object({
      kind: z.literal('goto'),
      id: z.string(),
      span: SpanSchema,
      target: z.string(),
      targetText: z.string(),
      max: z.number().int().min(1).nullable(),
    }),
    z.object({
      kind: z.literal('follow'),
      id: z.string(),
      span: SpanSchema,
      aop: z.string(),
      aopSpan: SpanSchema,
    }),
    z.object({
      kind: z.literal('if'),
      id: z.string(),
      span: SpanSchema,
      branches: z.array(z.object({ when: ConditionSchema, then: z.array(ActionSchema), span: SpanSchema })),
      otherwise: z.array(ActionSchema).nullable(),
    }),
    z.object({
      kind: z.literal('compute'),
      id: z.string(),
      span: SpanSchema,
      name: z.string(),
      phrase: z.string(),
      expr: ExprSchema.nullable(),
      schema: z.record(z.string(), z.unknown()),
      table: TableSchema.optional(),
    }),
    z.object({ kind: z.literal('unknown'), id: z.string(), span: SpanSchema, text: z.string() }),
  ]),
);

export const StepSchema = z.object({
  /** Stable id: explicit `{#id}` or a slug of the step's words; never its position. */
  id: z.string(),
  explicitId: z.boolean(),
  /** The number the author gave the step (used only to resolve "go back to step 2"). */
  number: z.number().int(),
  text: z.string(),
  span: SpanSchema,
  actions: z.array(ActionSchema),
});
export type Step = z.infer<typeof StepSchema>;

export const AopSchema = z.object({
  kind: z.enum(['procedure', 'subprocedure']),
  id: z.string(),
  title: z.string(),
  when: z.string(),
  /** Where `when` is written, for diagnostics about routing. */
  whenSpan: SpanSchema.optional(),
  /** The `examples` front matter: ways customers ask for this procedure, passed to the router. */
  examples: z.array(z.object({ text: z.string(), span: SpanSchema })).optional(),
  channels: z.array(z.string()),
  tools: z.array(z.string()),
  file: z.string(),
  sourceHash: z.string(),
  /** Span of the front matter (or its first line), used for file-level diagnostics. */
  span: SpanSchema,
  toolSpans: z.record(z.string(), SpanSchema),
  steps: z.array(StepSchema),
});
export type Aop = z.infer<typeof AopSchema>;
export type Span = z.infer<typeof SpanSchema>;
