import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { catalogue as retailCatalogue } from '../../aops/retail/tenant.ts';
import {
  type CompiledAop,
  compileProject,
  type Diagnostic,
  type SourceFile,
} from '../../shared/aop/index.ts';
import { catalogueOf, defineTool, type ToolCatalogue } from '../../shared/tools/define-tool.ts';

/** Shared fixtures for the compiler tests: a small tool catalogue and helpers to compile inline sources. */

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const RETAIL_DIR = join(REPO_ROOT, 'aops', 'retail');

const OrderSchema = z.object({
  order_id: z.string(),
  status: z.enum(['pending', 'shipped', 'delivered', 'cancelled']),
  total: z.number(),
  note: z.string(),
  placed_at: z.iso.datetime(),
  items: z.array(z.object({ item_id: z.string(), name: z.string() })),
});

/** A five-tool catalogue, small enough that every fact a test names is easy to see. */
export const testCatalogue: ToolCatalogue = catalogueOf([
  defineTool({
    name: 'find_customer',
    description: 'Find a customer by email.',
    effect: 'read',
    input: z.object({ email: z.string() }),
    output: z.string(),
    produces: 'customer_id',
    establishes: ['authenticated'],
  }),
  defineTool({
    name: 'get_order',
    description: 'Get an order.',
    effect: 'read',
    input: z.object({ order_id: z.string() }),
    output: OrderSchema,
    produces: 'order',
    guards: { requires: ['authenticated'] },
  }),
  defineTool({
    name: 'get_profile',
    description: 'Get a customer profile.',
    effect: 'read',
    input: z.object({ customer_id: z.string() }),
    output: z.object({
      name: z.string(),
      status: z.string(),
      tier: z.enum(['basic', 'gold']),
      orders: z.array(z.string()),
    }),
    produces: 'profile',
    guards: { requires: ['authenticated'] },
  }),
  defineTool({
    name: 'cancel_order',
    description: 'Cancel an order.',
    effect: 'write',
    input: z.object({
      order_id: z.string(),
      reason: z.enum(['no longer needed', 'ordered by mistake']),
    }),
    output: OrderSchema,
    produces: 'order',
    guards: { requires: ['authenticated'] },
  }),
  defineTool({
    name: 'add_note',
    description: 'Add a note to an order (no confirmation needed).',
    effect: 'write',
    input: z.object({ order_id: z.string(), note: z.string(), quantity: z.number().optional() }),
    output: OrderSchema,
    produces: 'order',
    guards: { requires: ['authenticated'], confirm: false },
  }),
]);

/** The sub-procedure every test procedure may follow to authenticate. */
export const AUTHENTICATE: SourceFile = {
  path: 'aops/test/authenticate.md',
  text: lines(
    '---',
    'id: authenticate',
    'title: Authenticate',
    'kind: subprocedure',
    'tools: [find_customer]',
    '---',
    '',
    '1. {#identify} Ask for the email.',
    '2. {#look-up} Look up the customer with @find_customer.',
    '3. {#check} If the customer id was not found, say we could not find the account, then go back to step 1 (at most 3 times).',
  ),
};

export function lines(...text: string[]): string {
  return text.join('\n');
}

/** A procedure file: front matter (overridable) + body lines. The first body line is line 9. */
export function procedure(
  body: readonly string[],
  { tools = ['get_order', 'cancel_order'], id = 'sample' }: { tools?: string[]; id?: string } = {},
): string {
  return lines(
    '---',
    `id: ${id}`,
    'title: Sample',
    'when: The customer wants something.',
    'channels: [chat]',
    `tools: [${tools.join(', ')}]`,
    '---',
    '',
    ...body,
  );
}

export const FILE = 'aops/test/sample.md';

/** Compiles one procedure (plus the authenticate sub-procedure and any others) and returns its result. */
export function compileOne(
  text: string,
  {
    catalogue = testCatalogue,
    others = [AUTHENTICATE],
  }: { catalogue?: ToolCatalogue; others?: SourceFile[] } = {},
): CompiledAop {
  const results = compileProject([{ path: FILE, text }, ...others], { catalogue });
  return results.find((result) => result.file === FILE)!;
}

/** code@line:col for each diagnostic, the shape the rule tests assert on. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`);
}

export function retailSources(): SourceFile[] {
  return readdirSync(RETAIL_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({ path: `aops/retail/${name}`, text: readFileSync(join(RETAIL_DIR, name), 'utf8') }));
}

/** Sample Lambda ARNs for the `${XxxFunctionArn}` placeholders, as CloudFormation would substitute them. */
export function substitutePlaceholders(json: string): string {
  return json.replace(
    /\$\{([A-Za-z]+)FunctionArn\}/g,
    (_, name: string) => `arn:aws:lambda:us-east-1:123456789012:function:aop-${name.toLowerCase()}`,
  );
}

export { retailCatalogue };
