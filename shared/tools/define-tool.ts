import type { z } from 'zod';

/**
 * A tool is an integration the agent may call: a typed input, a typed output, an effect, and guards.
 * The compiler reads the declaration (schemas, effect, guards, the fact the result becomes) to type
 * slots, bind arguments and prove guards over the procedure graph; the runtime checks the same guards
 * against the event log before every call (DESIGN.md decision 3). Implementations live apart from
 * declarations so the compiler never loads integration code.
 */

/** Guards a tool may require before it runs. */
export type GuardName = 'authenticated';

export type ToolEffect = 'read' | 'write';

export interface ToolOwnership {
  /** Input argument that names the resource, e.g. `order_id`. */
  readonly arg: string;
  /** Kind of resource: the runtime asks the tenant's ownership resolver who owns it. */
  readonly resource: string;
}

export interface ToolGuards {
  /** Facts about the conversation that must hold (compile-time proof + run-time check). */
  readonly requires?: readonly GuardName[];
  /** The customer must confirm this exact action after it was described. Default: true for writes. */
  readonly confirm?: boolean;
  /** The resource named by an argument must belong to the authenticated customer. */
  readonly owns?: ToolOwnership;
}

export interface ToolDeclaration<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly effect: ToolEffect;
  readonly input: I;
  readonly output: O;
  /** The fact a successful result becomes, e.g. `order` (then `order.status` can be used in conditions). */
  readonly produces: string;
  readonly guards: ToolGuards;
  /** Guards a successful call establishes, e.g. `authenticated` for a customer lookup. */
  readonly establishes?: readonly GuardName[];
  /** Name of the tool that undoes a successful call of this one (used by conversation rewind). */
  readonly compensation?: string;
}

export type ToolInput<T extends ToolDeclaration> = z.infer<T['input']>;
export type ToolOutput<T extends ToolDeclaration> = z.infer<T['output']>;

/** Declares a tool. Writes need confirmation unless explicitly told otherwise. */
export function defineTool<I extends z.ZodObject, O extends z.ZodType>(
  declaration: Omit<ToolDeclaration<I, O>, 'guards'> & { readonly guards?: ToolGuards },
): ToolDeclaration<I, O> {
  const guards = declaration.guards ?? {};
  return {
    ...declaration,
    guards: { ...guards, confirm: guards.confirm ?? declaration.effect === 'write' },
  };
}

/** A tenant's tool catalogue, keyed by tool name. */
export type ToolCatalogue = ReadonlyMap<string, ToolDeclaration>;

export function catalogueOf(tools: readonly ToolDeclaration[]): ToolCatalogue {
  const map = new Map<string, ToolDeclaration>();
  for (const tool of tools) {
    if (map.has(tool.name)) throw new Error(`Tool "${tool.name}" is declared twice in the catalogue`);
    map.set(tool.name, tool);
  }
  return map;
}

/** What an implementation receives besides its input. */
export interface ToolContext {
  /** conversation + step + turn: a retried step passes the same key, so a write happens once. */
  readonly idempotencyKey: string;
  readonly conversationId: string;
  /**
   * The authenticated customer, when there is one and the tool has a guard (the runner reads the log
   * only to check guards; a tool that needs the customer should say so with `requires: authenticated`).
   */
  readonly customerId?: string;
  /**
   * Seals what a tool keeps about the call in its own store (an idempotency record's result) under
   * the conversation's data key, so erasing the conversation erases it too. Absent when customer
   * data is not encrypted (no keys table): the text is then kept as it is.
   */
  readonly sealer?: ToolSealer;
}

export interface ToolSealer {
  seal(text: string): Promise<string>;
  /** The text, or undefined once the conversation was erased. Text that was never sealed is returned as is. */
  open(sealed: string): Promise<string | undefined>;
}

export type ToolImplementation<T extends ToolDeclaration> = (
  input: ToolInput<T>,
  context: ToolContext,
) => Promise<ToolOutput<T>>;

/**
 * A tool's implementation that holds to its declaration: the input is parsed before `run` (an
 * implementation may be called without the runner, which parses too) and the output after, so nothing
 * leaves a tool that its declaration does not promise (zod also puts the output's keys in the declared
 * order). The function is named after the tool, for stack traces.
 */
export function implementTool<T extends ToolDeclaration>(
  declaration: T,
  run: (input: ToolInput<T>, context: ToolContext) => Promise<unknown>,
): ToolImplementation<T> {
  const implementation = async (input: ToolInput<T>, context: ToolContext): Promise<ToolOutput<T>> => {
    const parsed = declaration.input.parse(input) as ToolInput<T>;
    return declaration.output.parse(await run(parsed, context)) as ToolOutput<T>;
  };
  Object.defineProperty(implementation, 'name', { value: declaration.name });
  return implementation;
}
