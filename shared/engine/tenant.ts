import type { ToolCatalogue, ToolContext } from '../tools/define-tool.ts';

/** What the runtime needs from a tenant's integrations: declarations, implementations, ownership. */
export interface ToolRuntime {
  readonly catalogue: ToolCatalogue;
  readonly implementations: Readonly<
    Record<string, (input: never, context: ToolContext) => Promise<unknown>>
  >;
  /** Who owns a resource (e.g. an order); undefined when it does not exist. */
  ownerOf(resource: string, id: string): Promise<string | undefined>;
  /**
   * What a call of a write tool with this input would give back to the customer (USD, net of any
   * payment it takes), read before the call for the refund cap; undefined when it refunds nothing or
   * the call would be refused anyway. A tenant without refunds leaves it out.
   */
  refundOf?(tool: string, input: unknown): Promise<number | undefined>;
  /**
   * What the tenant's store recorded of a write call under its idempotency key: whether it happened
   * and, if so, its result. Asked when a turn whose process died is closed (docs/runtime.md, crash
   * semantics); a tenant without it leaves such a call's outcome `unknown` in the log.
   */
  recordedCall?(
    tool: string,
    idempotencyKey: string,
    context: Pick<ToolContext, 'conversationId' | 'sealer'>,
  ): Promise<RecordedCall>;
  /**
   * Which fact names the signed-in customer (the tenant's `identity`): a tool that establishes
   * `authenticated` returns it as its whole output (a string) or as this field of an object.
   */
  readonly identity?: { readonly fact: string };
}

/** A write call as its idempotency record tells it: made (with the result it recorded) or never made. */
export type RecordedCall =
  | { readonly happened: true; readonly output: unknown }
  | { readonly happened: false };

/** A procedure the ingress can route to, with what a turn needs from its manifest. */
export interface RoutableAop {
  readonly id: string;
  readonly version: number;
  readonly when: string;
  /** The procedure's `examples` front matter, offered to the router with `when`. */
  readonly examples?: readonly string[];
  readonly cutoffDays: readonly number[];
  /** The state machine (alias) to start for a turn of this procedure. */
  readonly stateMachineArn: string;
}

/**
 * The clock a tenant's conversations run on: each turn's `turn.started.data.now`, from which "more than
 * N days ago" is measured (`$.clock.cutoffs`), and the time on the turn's events. By default the wall
 * clock. A tenant whose data is a snapshot fixes "now" to the day the data was taken
 * (`{ now: '2024-05-01T00:00:00Z' }`), so a 30-day rule means what it meant then; that clock stands
 * still, so every event carries that instant. A function gives any other clock (one that moves from a
 * past instant, say). Replay reads the recorded `now`, so it agrees whichever clock ran.
 */
export type TenantClock = { readonly now: string } | (() => Date);

/** The conversation service's `clock` for a tenant's setting; undefined (the wall clock) without one. */
export function clockOf(setting: TenantClock | undefined): (() => Date) | undefined {
  if (setting === undefined || typeof setting === 'function') return setting;
  const fixed = new Date(setting.now);
  if (Number.isNaN(fixed.getTime()))
    throw new Error(
      `The tenant's clock.now is "${setting.now}", which is not a date: give an ISO 8601 instant such as "2024-05-01T00:00:00Z".`,
    );
  return () => new Date(fixed);
}
