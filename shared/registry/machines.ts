import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineVersionsCommand,
  type SFNClient,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { aliasArnOf, machineArnOf, versionArnOf, versionOfArn } from './arns.ts';
import type { VersionContent } from './content.ts';
import { RegistryOutOfSyncError } from './errors.ts';
import { LIVE_ALIAS } from './registry.ts';

/**
 * The Step Functions side of the registry: one Express state machine per AOP, whose version N runs
 * registry version N, and an alias `live`. The numbering holds because every registry version is
 * published to the machine exactly once, in order, with a definition no other version has (the
 * definition's `Comment` names the version and content hash, so two versions never share a revision and
 * Step Functions never answers a publish with an older version). Every publish checks the number it got.
 */

export interface MachineVersion {
  readonly version: number;
  readonly sourceHash: string;
}

/** Loads a version's content; only versions the machine lacks are loaded. */
export type ContentLoader = (version: number) => Promise<VersionContent>;

export interface ProcedureMachinesOptions {
  readonly sfn: SFNClient;
  /** Values for the definition's `${…}` placeholders, as CloudFormation's `definitionSubstitutions`. */
  readonly substitutions: Readonly<Record<string, string>>;
  /** Role a new machine runs as; needed only to create one. */
  readonly roleArn?: string;
  /** Name of an AOP's machine. Default: the AOP id. */
  readonly machineName?: (aopId: string) => string;
}

export interface ProcedureMachines {
  /**
   * Publishes every given version the machine lacks, oldest first; creates the machine when
   * `machineArn` is undefined. Returns the machine ARN.
   */
  ensureVersions(
    aopId: string,
    machineArn: string | undefined,
    versions: readonly MachineVersion[],
    load: ContentLoader,
  ): Promise<string>;
  /** Routes the alias (default `live`) to `version` only, creating the alias if needed. Returns the alias ARN. */
  pointAlias(machineArn: string, version: number, alias?: string): Promise<string>;
  /** The version the alias routes (most of) its traffic to; null when the alias does not exist. */
  aliasVersion(aliasArn: string): Promise<number | null>;
  /** Fails unless version `version` of the machine was published from content `sourceHash`. */
  verifyVersion(aopId: string, machineArn: string, version: number, sourceHash: string): Promise<void>;
}

export function createProcedureMachines({
  sfn,
  substitutions,
  roleArn,
  machineName = (aopId) => aopId,
}: ProcedureMachinesOptions): ProcedureMachines {
  function definitionOf(aopId: string, version: MachineVersion, content: VersionContent): string {
    const asl = JSON.parse(content.definition) as { Comment?: string };
    asl.Comment = `${asl.Comment ?? aopId} | ${aopId} v${version.version}, content ${version.sourceHash.slice(0, 12)}`;
    const missing = new Set<string>();
    const definition = JSON.stringify(asl).replace(/\$\{([A-Za-z]+)\}/g, (whole, key: string) => {
      const value = substitutions[key];
      if (value === undefined) missing.add(key);
      return value ?? whole;
    });
    if (missing.size > 0)
      throw new Error(
        `No substitution for ${[...missing].map((key) => `\${${key}}`).join(', ')} in ${aopId} v${version.version}; pass every placeholder the compiler emits (FUNCTION_PLACEHOLDERS) in substitutions.`,
      );
    return definition;
  }

  const descriptionOf = (aopId: string, version: MachineVersion) =>
    `${aopId} v${version.version} ${version.sourceHash}`;

  async function publishedNumbers(machineArn: string): Promise<Set<number>> {
    const numbers = new Set<number>();
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListStateMachineVersionsCommand({ stateMachineArn: machineArn, nextToken }),
      );
      for (const item of page.stateMachineVersions ?? []) {
        const number = versionOfArn(item.stateMachineVersionArn ?? '');
        if (number !== undefined) numbers.add(number);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return numbers;
  }

  return {
    async ensureVersions(aopId, machineArn, versions, load) {
      // Any of the machine's ARNs will do (the platform hands out alias ARNs).
      let arn = machineArn === undefined ? undefined : machineArnOf(machineArn);
      const existing = arn ? await publishedNumbers(arn) : new Set<number>();
      for (const version of [...versions].sort((a, b) => a.version - b.version)) {
        if (existing.has(version.version)) continue;
        const definition = definitionOf(aopId, version, await load(version.version));
        const versionDescription = descriptionOf(aopId, version);
        let versionArn: string | undefined;
        if (arn === undefined) {
          if (!roleArn) throw new Error(`Creating the state machine of ${aopId} needs a roleArn`);
          const created = await sfn.send(
            new CreateStateMachineCommand({
              name: machineName(aopId),
              definition,
              roleArn,
              type: 'EXPRESS',
              publish: true,
              versionDescription,
            }),
          );
          arn = created.stateMachineArn;
          versionArn = created.stateMachineVersionArn;
        } else {
          const updated = await sfn.send(
            new UpdateStateMachineCommand({
              stateMachineArn: arn,
              definition,
              publish: true,
              versionDescription,
            }),
          );
          versionArn = updated.stateMachineVersionArn;
        }
        const got = versionOfArn(versionArn ?? '');
        if (arn === undefined || got !== version.version)
          throw new RegistryOutOfSyncError({
            aopId,
            version: version.version,
            detail: `publishing it to ${arn ?? machineName(aopId)} made state machine version ${got ?? 'none'}`,
          });
        existing.add(got);
      }
      if (arn === undefined) throw new Error(`AOP ${aopId}: no version to create its state machine from`);
      return arn;
    },

    async pointAlias(machineArn, version, alias = LIVE_ALIAS) {
      const aliasArn = aliasArnOf(machineArn, alias);
      const routingConfiguration = [
        { stateMachineVersionArn: versionArnOf(machineArn, version), weight: 100 },
      ];
      try {
        await sfn.send(
          new UpdateStateMachineAliasCommand({ stateMachineAliasArn: aliasArn, routingConfiguration }),
        );
        return aliasArn;
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFound') throw error;
      }
      const created = await sfn.send(
        new CreateStateMachineAliasCommand({ name: alias, routingConfiguration }),
      );
      return created.stateMachineAliasArn ?? aliasArn;
    },

    async aliasVersion(aliasArn) {
      try {
        const { routingConfiguration = [] } = await sfn.send(
          new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }),
        );
        const main = [...routingConfiguration].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))[0];
        return versionOfArn(main?.stateMachineVersionArn ?? '') ?? null;
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFound') return null;
        throw error;
      }
    },

    async verifyVersion(aopId, machineArn, version, sourceHash) {
      const versionArn = versionArnOf(machineArn, version);
      let description: string | undefined;
      try {
        ({ description } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: versionArn })));
      } catch (error) {
        const name = (error as Error).name;
        if (name !== 'StateMachineDoesNotExist' && name !== 'ResourceNotFound') throw error;
        throw new RegistryOutOfSyncError(
          { aopId, version, detail: `the state machine has no version ${version} (${versionArn})` },
          { cause: error },
        );
      }
      if (!description?.includes(sourceHash))
        throw new RegistryOutOfSyncError({
          aopId,
          version,
          detail: `state machine version ${versionArn} was published from other content ("${description ?? ''}", expected content ${sourceHash})`,
        });
    },
  };
}
