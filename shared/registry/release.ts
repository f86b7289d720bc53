import { parseSource } from '../aop/source.ts';
import type { Actor } from '../events/catalogue.ts';
import { machineArnOf } from './arns.ts';
import type { VersionContent } from './content.ts';
import { UnknownVersionError } from './errors.ts';
import type { ProcedureMachines } from './machines.ts';
import { type AopRegistry, LIVE_ALIAS } from './registry.ts';

/**
 * Releases: each operation changes Step Functions first (the effect) and records it in the registry
 * second, and each is safe to run again: a retry after a failure in between finds the machine already
 * changed (publishing and routing are idempotent) and only appends what is missing.
 */

export interface ReleaseDependencies {
  readonly registry: AopRegistry;
  readonly machines: ProcedureMachines;
}

/** What the ingress needs to route to and run one version. */
export interface VersionRoute {
  readonly id: string;
  readonly version: number;
  readonly when: string;
  /** The procedure's `examples` (read from its stored source), offered to the router with `when`. */
  readonly examples?: readonly string[];
  readonly cutoffDays: readonly number[];
}

export interface PublishVersionInput {
  readonly content: VersionContent;
  readonly note: string;
  readonly actor: Actor;
  /** The AOP's state machine; undefined creates it (the machines' roleArn is then needed). */
  readonly machineArn?: string;
  /** Move `live` to this version. Default: only when the content is new (a re-publish leaves `live` alone). */
  readonly goLive?: boolean;
}

export interface PublishVersionResult {
  readonly version: number;
  readonly created: boolean;
  readonly live: number;
  readonly machineArn: string;
  readonly aliasArn: string;
  /** Every version's route, oldest first. */
  readonly routes: readonly VersionRoute[];
}

/**
 * Publishes a content as an immutable version (or finds the version it already is), makes sure the
 * state machine has every registry version under the same number, and points `live`.
 */
export async function publishVersion(
  { registry, machines }: ReleaseDependencies,
  input: PublishVersionInput,
): Promise<PublishVersionResult> {
  const aopId = input.content.aopId;
  const { version, created } = await registry.publish({
    content: input.content,
    note: input.note,
    actor: input.actor,
  });
  const history = await registry.history(aopId);
  const contents = new Map<number, VersionContent>([[version.version, input.content]]);
  const load = async (number: number) => {
    const known = contents.get(number) ?? (await registry.content(aopId, number));
    contents.set(number, known);
    return known;
  };
  const machineArn = await machines.ensureVersions(aopId, input.machineArn, history.versions, load);
  const live = (input.goLive ?? created) ? version.version : (history.aliases[LIVE_ALIAS] ?? version.version);
  const aliasArn = await machines.pointAlias(machineArn, live);
  await registry.moveAlias({ aopId, toVersion: live, actor: input.actor });
  const routes: VersionRoute[] = [];
  for (const published of history.versions) {
    const content = await load(published.version);
    routes.push({
      id: aopId,
      version: published.version,
      when: content.when,
      ...examplesOf(content),
      cutoffDays: content.cutoffDays,
    });
  }
  return { version: version.version, created, live, machineArn, aliasArn, routes };
}

export interface RollbackInput {
  readonly aopId: string;
  readonly toVersion: number;
  /** The AOP's state machine (any of its ARNs: machine, version or alias). */
  readonly machineArn: string;
  readonly actor: Actor;
}

export interface RollbackResult {
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly aliasArn: string;
  /** False when `live` already named that version. */
  readonly moved: boolean;
}

/**
 * Moves `live` to an earlier (or any published) version. Only new conversations follow the alias:
 * conversations in flight run the version they were routed to (the ingress starts them on its version
 * ARN), so they are not disturbed.
 */
export async function rollback(
  { registry, machines }: ReleaseDependencies,
  { aopId, toVersion, machineArn, actor }: RollbackInput,
): Promise<RollbackResult> {
  const history = await registry.history(aopId);
  const target = history.versions.find((version) => version.version === toVersion);
  if (!target)
    throw new UnknownVersionError({
      aopId,
      version: toVersion,
      known: history.versions.map((v) => v.version),
    });
  await machines.verifyVersion(aopId, machineArn, toVersion, target.sourceHash);
  const aliasArn = await machines.pointAlias(machineArnOf(machineArn), toVersion);
  const { fromVersion, moved } = await registry.moveAlias({ aopId, toVersion, actor });
  return { fromVersion, toVersion, aliasArn, moved };
}

export interface SyncProceduresInput {
  /** The tenant's procedures as they are now, one content each. */
  readonly contents: Iterable<VersionContent>;
  readonly note: string;
  readonly actor: Actor;
  /** The machine an AOP already has. Default: none, each machine is created. */
  readonly machineArnOf?: (aopId: string) => string | undefined;
}

export interface SyncProceduresResult {
  /** AOP id → ARN of its `live` alias. */
  readonly stateMachines: Record<string, string>;
  /** Every published version of every procedure. */
  readonly routes: VersionRoute[];
  readonly published: readonly { aopId: string; version: number; created: boolean; live: number }[];
}

/**
 * Brings a deployment in line with the sources: each changed procedure becomes its next version and
 * goes live; an unchanged one keeps whatever `live` names (so a rollback outlives a restart); every
 * registry version exists in Step Functions under its own number.
 */
export async function syncProcedures(
  deps: ReleaseDependencies,
  { contents, note, actor, machineArnOf }: SyncProceduresInput,
): Promise<SyncProceduresResult> {
  const stateMachines: Record<string, string> = {};
  const routes: VersionRoute[] = [];
  const published: { aopId: string; version: number; created: boolean; live: number }[] = [];
  for (const content of contents) {
    const machineArn = machineArnOf?.(content.aopId);
    const result = await publishVersion(deps, {
      content,
      note,
      actor,
      ...(machineArn ? { machineArn } : {}),
    });
    stateMachines[content.aopId] = result.aliasArn;
    routes.push(...result.routes);
    published.push({
      aopId: content.aopId,
      version: result.version,
      created: result.created,
      live: result.live,
    });
  }
  return { stateMachines, routes, published };
}

/** A version's `examples`, read from the front matter of its procedure's file (the content's first). */
function examplesOf(content: VersionContent): { examples?: string[] } {
  const file = content.files[0];
  if (file === undefined) return {};
  const value = parseSource({ path: file.path, text: file.text }).frontMatter.get('examples')?.value;
  const examples = Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
  return examples.length > 0 ? { examples } : {};
}
