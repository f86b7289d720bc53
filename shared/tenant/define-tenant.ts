import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ConversationPolicy, conversationPolicy } from '../engine/repair.ts';
import type { TenantClock, ToolRuntime } from '../engine/tenant.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import type { HandoffConnector } from '../tools/handoff-connector.ts';

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

/**
 * A process the local platform starts for the tenant: the stand-in of a third-party API its tools call
 * (a payment provider, a CRM). In AWS the real API is used; its URL comes from the deployment's
 * `environment` (deploy.json) under the same variable.
 */
export interface TenantService {
  /** A short name, for logs (`payments`). */
  readonly name: string;
  /**
   * The module to run, relative to the tenant folder (`payments/server.ts`). It runs with tsx in a child
   * process, with `PORT=0` and the `localSecrets` in its environment; it listens on 127.0.0.1 and prints
   * one line `{"url":"http://127.0.0.1:<port>"}` to stdout once it does. It is stopped with SIGTERM.
   */
  readonly entry: string;
  /** The environment variable the platform puts the service's base URL in before the tools load. */
  readonly urlVariable: string;
  /**
   * Secrets shared by the tools and the stand-in in local runs (a development API key), set as
   * `AOP_SECRET_<NAME>` when the environment does not already set them.
   */
  readonly localSecrets?: Readonly<Record<string, string>>;
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
  /**
   * The helpdesk a hand-off opens a ticket in (`zendeskTickets(...)`, shared/tools/handoff-connector.ts),
   * made once per process; the hand-off step records the ticket (`handoff.ticket`). Default: none (the
   * escalated conversation is the hand-off).
   */
  readonly helpdesk?: () => HandoffConnector;
  /** The processes the local platform starts for the tenant (stand-ins of the APIs its tools call). */
  readonly services?: readonly TenantService[];
  /**
   * The secrets its tools read (`tenantSecrets().get(name)`, shared/tools/http-connector.ts): locally
   * `AOP_SECRET_<NAME>`; in AWS the Secrets Manager secret `<deployment>/<name>`, which the stack lets the
   * tool runner read (and nothing else).
   */
  readonly secrets?: readonly string[];
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
  const SECRET = /^[a-z][a-z0-9-]*$/;
  for (const secret of spec.secrets ?? [])
    if (!SECRET.test(secret))
      problems.push(`secrets: "${secret}" must be lowercase letters, digits and dashes`);
  const services = new Set<string>();
  for (const service of spec.services ?? []) {
    if (services.has(service.name)) problems.push(`services: "${service.name}" is declared twice`);
    services.add(service.name);
    if (!/^[A-Z][A-Z0-9_]*$/.test(service.urlVariable))
      problems.push(
        `services: "${service.name}" urlVariable "${service.urlVariable}" must be an upper-case environment variable name`,
      );
    if (service.entry.startsWith('/') || service.entry.split(/[\\/]/).includes('..'))
      problems.push(
        `services: "${service.name}" entry "${service.entry}" must be a path inside the tenant folder`,
      );
    for (const name of Object.keys(service.localSecrets ?? {}))
      if (!(spec.secrets ?? []).includes(name))
        problems.push(
          `services: "${service.name}" sets local secret "${name}", which \`secrets\` does not declare`,
        );
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
