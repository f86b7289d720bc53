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
}

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
