import type { Actor, NewEvent, StoredEvent } from '../events/catalogue.ts';
import { isConcurrencyConflictError } from '../events/errors.ts';
import type { EventStore } from '../events/store.ts';
import { type ContentStore, registryStreamId, type VersionContent } from './content.ts';
import { CorruptContentError, UnknownVersionError } from './errors.ts';

/**
 * The AOP registry: every published version and every alias move of an AOP is an event in the stream
 * `aop#<id>` of the events table, so the hash chain covers the release history as it covers
 * conversations. Versions are immutable and numbered from 1; an alias (`live`) names one version at a
 * time. Rolling back appends an `alias.moved`; nothing is ever rewritten (DESIGN.md decision 6).
 */

export interface PublishedVersion {
  readonly version: number;
  /** sha256 of the version's content (sources and compiled definition). */
  readonly sourceHash: string;
  readonly note: string;
  readonly time: string;
  readonly actor: Actor;
  readonly seq: number;
}

export interface AliasMove {
  readonly alias: string;
  readonly fromVersion: number | null;
  readonly toVersion: number;
  readonly time: string;
  readonly actor: Actor;
  readonly seq: number;
}

export interface AopHistory {
  readonly aopId: string;
  /** Oldest first. */
  readonly versions: readonly PublishedVersion[];
  /** Alias name → the version it names now. */
  readonly aliases: Readonly<Record<string, number>>;
  readonly moves: readonly AliasMove[];
  /** Seq of the last registry event (the version to append after). */
  readonly seq: number;
}

/** The registry's state is a pure fold over its events, like a conversation's. */
export function foldRegistry(aopId: string, events: readonly StoredEvent[]): AopHistory {
  const versions: PublishedVersion[] = [];
  const moves: AliasMove[] = [];
  const aliases: Record<string, number> = {};
  let seq = 0;
  for (const event of events) {
    seq = event.seq;
    if (event.type === 'aop.published' && event.data.aopId === aopId) {
      const { version, sourceHash, note } = event.data;
      versions.push({ version, sourceHash, note, time: event.time, actor: event.actor, seq: event.seq });
    } else if (event.type === 'alias.moved' && event.data.aopId === aopId) {
      const { alias, fromVersion, toVersion } = event.data;
      aliases[alias] = toVersion;
      moves.push({ alias, fromVersion, toVersion, time: event.time, actor: event.actor, seq: event.seq });
    }
  }
  return { aopId, versions, aliases, moves, seq };
}

export const LIVE_ALIAS = 'live';

export interface PublishInput {
  readonly content: VersionContent;
  readonly note: string;
  readonly actor: Actor;
}

export interface PublishResult {
  readonly version: PublishedVersion;
  /** False when a version with this content existed: nothing was appended. */
  readonly created: boolean;
}

export interface MoveAliasInput {
  readonly aopId: string;
  readonly toVersion: number;
  readonly actor: Actor;
  /** Default: `live`. */
  readonly alias?: string;
}

export interface MoveAliasResult {
  readonly fromVersion: number | null;
  readonly toVersion: number;
  /** False when the alias already named that version: nothing was appended. */
  readonly moved: boolean;
}

export interface AopRegistry {
  history(aopId: string): Promise<AopHistory>;
  /** Ids of every AOP with at least one registry event. */
  list(): Promise<string[]>;
  publish(input: PublishInput): Promise<PublishResult>;
  moveAlias(input: MoveAliasInput): Promise<MoveAliasResult>;
  /** The content of a published version (its sources and definition). */
  content(aopId: string, version: number): Promise<VersionContent>;
  /** Records the release gate's verdict on a candidate (`aop.gated`) on the procedure's stream. */
  recordGate(input: GateRecord): Promise<void>;
}

export interface GateRecord {
  readonly aopId: string;
  readonly sourceHash: string;
  readonly verdict: 'passed' | 'blocked' | 'forced';
  readonly checks: readonly { name: string; status: 'passed' | 'failed' | 'skipped'; detail: string }[];
  readonly accepted: readonly string[];
  readonly actor: 'operator' | 'system';
}

export interface AopRegistryOptions {
  readonly events: EventStore;
  readonly contents: ContentStore;
  readonly clock?: () => Date;
  /** Attempts when another publisher appends at the same time. Default: 10. */
  readonly maxAttempts?: number;
}

export function createAopRegistry({
  events,
  contents,
  clock = () => new Date(),
  maxAttempts = 10,
}: AopRegistryOptions): AopRegistry {
  async function history(aopId: string): Promise<AopHistory> {
    return foldRegistry(aopId, await events.read(registryStreamId(aopId)));
  }

  /** Decides on the current history and appends; on a concurrent append, decides again. */
  async function appendDecided<R>(
    aopId: string,
    decide: (current: AopHistory) => { events: NewEvent[]; result: (stored: StoredEvent[]) => R },
  ): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const current = await history(aopId);
      const decision = decide(current);
      if (decision.events.length === 0) return decision.result([]);
      try {
        const { events: stored } = await events.append(registryStreamId(aopId), decision.events, {
          expectedVersion: current.seq,
        });
        return decision.result(stored);
      } catch (error) {
        if (!isConcurrencyConflictError(error) || attempt >= maxAttempts) throw error;
      }
    }
  }

  return {
    history,
    async list() {
      const streams = await events.listConversations();
      return streams.filter((id) => id.startsWith('aop#')).map((id) => id.slice('aop#'.length));
    },
    async publish({ content, note, actor }) {
      const sourceHash = await contents.put(content);
      const aopId = content.aopId;
      return appendDecided<PublishResult>(aopId, (current) => {
        const existing = current.versions.find((version) => version.sourceHash === sourceHash);
        if (existing) return { events: [], result: () => ({ version: existing, created: false }) };
        const version = (current.versions.at(-1)?.version ?? 0) + 1;
        const time = clock().toISOString();
        return {
          events: [
            {
              type: 'aop.published',
              time,
              actor,
              aop: { id: aopId, version },
              data: { aopId, version, sourceHash, note },
            },
          ],
          result: (stored) => ({
            version: { version, sourceHash, note, time, actor, seq: stored[0]?.seq ?? current.seq + 1 },
            created: true,
          }),
        };
      });
    },
    async recordGate({ aopId, sourceHash, verdict, checks, accepted, actor }) {
      await appendDecided<void>(aopId, () => ({
        events: [
          {
            type: 'aop.gated',
            time: clock().toISOString(),
            actor,
            data: { aopId, sourceHash, verdict, checks: [...checks], accepted: [...accepted] },
          },
        ],
        result: () => undefined,
      }));
    },
    async moveAlias({ aopId, toVersion, actor, alias = LIVE_ALIAS }) {
      return appendDecided<MoveAliasResult>(aopId, (current) => {
        if (!current.versions.some((version) => version.version === toVersion))
          throw new UnknownVersionError({
            aopId,
            version: toVersion,
            known: current.versions.map((version) => version.version),
          });
        const fromVersion = current.aliases[alias] ?? null;
        if (fromVersion === toVersion)
          return { events: [], result: () => ({ fromVersion, toVersion, moved: false }) };
        return {
          events: [
            {
              type: 'alias.moved',
              time: clock().toISOString(),
              actor,
              aop: { id: aopId, version: toVersion },
              data: { aopId, alias, fromVersion, toVersion },
            },
          ],
          result: () => ({ fromVersion, toVersion, moved: true }),
        };
      });
    },
    async content(aopId, version) {
      const { versions } = await history(aopId);
      const published = versions.find((candidate) => candidate.version === version);
      if (!published)
        throw new UnknownVersionError({ aopId, version, known: versions.map((known) => known.version) });
      const content = await contents.get(aopId, published.sourceHash);
      if (!content)
        throw new CorruptContentError({ aopId, hash: published.sourceHash, reason: 'is missing' });
      return content;
    },
  };
}
