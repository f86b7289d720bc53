import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ConversationPolicy, conversationPolicy } from '../engine/repair.ts';
import type { TenantClock, ToolRuntime } from '../engine/tenant.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';

/**
 * A tenant is a plug-in: one folder, `aops/<tenant>/`, holding its procedures (`*.md`), its tests and a
 * `tenant.ts` whose default export is `defineTenant({...})`. The platform (`shared/`, `functions/`,
 * `infra/`, `cli/`) imports no tenant; it loads the folder it is pointed at (docs/tenants.md).
 *
 * Everything a tenant used to have to guess is declared here: which tool results sign a customer in and
 * which fact is the customer's identity, the facts kept across requests, the tables its tools use (so
 * the local platform and the stack create them), and how its data is seeded.
 */

/** A secondary index of a tenant table (string keys). */
export interface TenantTableIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** What the index holds besides its keys. Default: `keys-only`. */
  readonly projection?: 'keys-only' | 'all';
}

/** A DynamoDB table the tenant's tools use: `<data prefix><name>`, string keys, on-demand. */
export interface TenantTable {
  /** The name after the data prefix (`users` → `demo-users` in the stack of tenant `demo`). */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes?: readonly TenantTableIndex[];
  /**
   * What the tools do with it, for the stack's grants (least privilege): `read` (GetItem, and Query on
   * its indexes) or `read-write` (also PutItem, which conditional and transactional puts need).
   * Default: `read-write`.
   */
  readonly access?: 'read' | 'read-write';
  /** The tools scan it (a small catalogue listed whole): Scan is granted on it. Default: false. */
  readonly scans?: boolean;
}

/** Where a tenant's tools find their data: a client and the prefix of the tenant's table names. */
export interface TenantDataContext {
  readonly client: DynamoDBClient;
  readonly tablePrefix: string;
}

/** Who the customer is, once a tool has told: declared, not guessed. */
export interface TenantIdentity {
  /**
   * The fact that names the signed-in customer (`user_id`): what a tool that `establishes:
   * ['authenticated']` returns, either as the whole output (a string) or as this field of it.
   */
  readonly fact: string;
}

export interface TenantSpec {
  /**
   * The tenant's name in logs. Left out, it is the folder's name, which the loader sets (so a copy of the
   * folder under a new name needs no edit).
   */
  readonly name?: string;
  /** The tools its procedures may call (`defineTool` declarations). */
  readonly catalogue: ToolCatalogue;
  /** Where a first message goes when no procedure's `when` fits it (a procedure id of this tenant). */
  readonly fallbackAop: string;
  readonly identity: TenantIdentity;
  /** Facts that survive when the customer moves on to another request (identity facts, typically). */
  readonly keepFacts?: readonly string[];
  /** Wording, FAQ and re-ask bound of the repair patterns; default: the platform's. */
  readonly conversation?: ConversationPolicy;
  /** The clock the tenant's data is measured against; default: the wall clock. */
  readonly clock?: TenantClock;
  /** The tables its tools use (created locally at start and by the stack in AWS). */
  readonly tables: readonly TenantTable[];
  /** The implementations of its catalogue, bound to its tables. */
  createTools(context: TenantDataContext): ToolRuntime;
  /**
   * Writes the tenant's reference data; with `onlyMissing`, only into empty tables (a persistent local
   * database keeps what conversations changed). Returns the number of records written.
   */
  seed?(context: TenantDataContext & { readonly onlyMissing: boolean }): Promise<number>;
}

/** A checked tenant: the spec, with its conversation policy resolved. */
export interface Tenant extends TenantSpec {
  readonly name: string;
  readonly conversation: ConversationPolicy;
  readonly keepFacts: readonly string[];
}

/** A tenant definition that cannot work, with every reason at once. */
export class TenantDefinitionError extends Error {
  constructor(
    readonly tenant: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Tenant "${tenant}" is not defined correctly (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'TenantDefinitionError';
  }
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const TABLE_NAME = /^[a-z][a-z0-9-]*$/;

/** Checks a tenant's declarations against each other and returns the tenant the platform loads. */
export function defineTenant(spec: TenantSpec): Tenant {
  const problems: string[] = [];
  if (spec.name !== undefined && !NAME.test(spec.name))
    problems.push(`name "${spec.name}": use lowercase letters, digits and single dashes (the folder name)`);
  if (spec.fallbackAop.trim() === '')
    problems.push('fallbackAop: name the procedure that takes what fits none');
  const tools = [...spec.catalogue.values()];
  const establishing = tools.filter((tool) => tool.establishes?.includes('authenticated'));
  if (tools.some((tool) => tool.guards.requires?.includes('authenticated')) && establishing.length === 0)
    problems.push(
      'identity: some tools require an authenticated customer but no tool establishes it (declare `establishes: ["authenticated"]` on the look-up that finds the customer)',
    );
  if (spec.identity.fact.trim() === '')
    problems.push('identity.fact: name the fact that identifies a customer');
  const names = new Set<string>();
  for (const table of spec.tables) {
    if (!TABLE_NAME.test(table.name))
      problems.push(`tables: "${table.name}" must be lowercase letters, digits and dashes`);
    if (names.has(table.name)) problems.push(`tables: "${table.name}" is declared twice`);
    names.add(table.name);
    const indexes = new Set<string>();
    for (const index of table.indexes ?? []) {
      if (indexes.has(index.name))
        problems.push(`tables: "${table.name}" declares index "${index.name}" twice`);
      indexes.add(index.name);
    }
  }
  if (problems.length > 0) throw new TenantDefinitionError(spec.name ?? '(unnamed)', problems);
  return Object.freeze({
    ...spec,
    name: spec.name ?? '',
    conversation: spec.conversation ?? conversationPolicy(),
    keepFacts: spec.keepFacts ?? [spec.identity.fact],
  });
}

/** Whether a module's default export is a tenant made by `defineTenant`. */
/** The tenant as served from `folder`: named after it unless it names itself. */
export function namedAfter(tenant: Tenant, folder: string): Tenant {
  if (tenant.name !== '') return tenant;
  if (!NAME.test(folder))
    throw new TenantDefinitionError(folder, [
      `the folder name "${folder}" is the tenant's name: use lowercase letters, digits and single dashes`,
    ]);
  return Object.freeze({ ...tenant, name: folder });
}

export function isTenant(value: unknown): value is Tenant {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<Tenant>;
  return (
    typeof candidate.name === 'string' &&
    candidate.catalogue instanceof Map &&
    typeof candidate.createTools === 'function' &&
    Array.isArray(candidate.tables)
  );
}
