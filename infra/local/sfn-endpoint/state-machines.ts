import type {
  CreateStateMachineAliasInput,
  CreateStateMachineInput,
  DescribeStateMachineAliasInput,
  DescribeStateMachineInput,
  ListStateMachineVersionsInput,
  LoggingConfiguration,
  PublishStateMachineVersionInput,
  RoutingConfiguration,
  StateMachineType,
  UpdateStateMachineAliasInput,
  UpdateStateMachineInput,
} from './api-schemas.ts';
import {
  type ArnScope,
  assertValidAliasName,
  assertValidName,
  type ParsedStateMachineArn,
  parseStateMachineArn,
  stateMachineArn,
} from './arns.ts';
import { SfnServiceError } from './errors.ts';
import type { LocalExecutor } from './executor.ts';

/** An immutable snapshot of a definition and role, with the executor built for it (once). */
export interface Revision {
  readonly id: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly executor: LocalExecutor;
}

interface Version {
  readonly number: number;
  readonly arn: string;
  readonly revision: Revision;
  readonly description: string | undefined;
  readonly creationDate: Date;
}

interface Alias {
  readonly name: string;
  readonly arn: string;
  description: string | undefined;
  routing: RoutingConfiguration;
  readonly creationDate: Date;
  updateDate: Date;
}

export interface StateMachineRecord {
  readonly name: string;
  readonly arn: string;
  readonly type: StateMachineType;
  readonly creationDate: Date;
  revision: Revision;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled?: boolean | undefined };
  readonly versions: Map<number, Version>;
  nextVersion: number;
  readonly aliases: Map<string, Alias>;
}

/** What an execution runs: the revision picked by the ARN it was started with. */
export interface ExecutionTarget {
  readonly machine: StateMachineRecord;
  readonly revision: Revision;
  readonly versionArn?: string;
  readonly aliasArn?: string;
}

export interface StateMachinesOptions {
  readonly scope: ArnScope;
  /** Validates and prepares a definition; throws `InvalidDefinition`. Called once per revision. */
  readonly buildRevision: (definition: string, roleArn: string) => Revision;
  /** Picks among an alias's weighted versions. Default: `Math.random`. */
  readonly random?: () => number;
  readonly now?: () => Date;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
const DEFAULT_PAGE_SIZE = 100;

/** State machines, their versions and aliases: the control-plane half of the local endpoint. */
export class StateMachines {
  readonly #machines = new Map<string, StateMachineRecord>();
  readonly #options: StateMachinesOptions;

  constructor(options: StateMachinesOptions) {
    this.#options = options;
  }

  createStateMachine(input: CreateStateMachineInput) {
    assertValidName(input.name, 'state machine');
    assertRoleArn(input.roleArn);
    const arn = stateMachineArn(this.#options.scope, input.name);
    const type = input.type ?? 'STANDARD';
    const existing = this.#machines.get(arn);
    if (existing) {
      // Creating the same machine again is idempotent; anything different is a conflict.
      const same =
        existing.type === type &&
        existing.revision.definition === input.definition &&
        existing.revision.roleArn === input.roleArn;
      if (!same)
        throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      const version = input.publish ? this.#publish(existing, input.versionDescription) : undefined;
      return {
        stateMachineArn: arn,
        creationDate: existing.creationDate,
        stateMachineVersionArn: version?.arn,
      };
    }
    const machine: StateMachineRecord = {
      name: input.name,
      arn,
      type,
      creationDate: this.#now(),
      revision: this.#options.buildRevision(input.definition, input.roleArn),
      loggingConfiguration: input.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: input.tracingConfiguration ?? { enabled: false },
      versions: new Map(),
      nextVersion: 1,
      aliases: new Map(),
    };
    this.#machines.set(arn, machine);
    const version = input.publish ? this.#publish(machine, input.versionDescription) : undefined;
    return { stateMachineArn: arn, creationDate: machine.creationDate, stateMachineVersionArn: version?.arn };
  }

  describeStateMachine(input: DescribeStateMachineInput) {
    const parsed = parseStateMachineArn(input.stateMachineArn);
    if (parsed.qualifier?.kind === 'alias') throw labeledArn(input.stateMachineArn);
    const machine = this.#machine(parsed, input.stateMachineArn);
    const common = {
      name: machine.name,
      status: 'ACTIVE' as const,
      type: machine.type,
      loggingConfiguration: machine.loggingConfiguration,
      tracingConfiguration: machine.tracingConfiguration,
    };
    if (parsed.qualifier?.kind === 'version') {
      const version = this.#version(machine, parsed.qualifier.version, input.stateMachineArn);
      return {
        ...common,
        stateMachineArn: version.arn,
        definition: version.revision.definition,
        roleArn: version.revision.roleArn,
        creationDate: version.creationDate,
        revisionId: version.revision.id,
        description: version.description,
      };
    }
    return {
      ...common,
      stateMachineArn: machine.arn,
      definition: machine.revision.definition,
      roleArn: machine.revision.roleArn,
      creationDate: machine.creationDate,
      revisionId: machine.revision.id,
    };
  }

  updateStateMachine(input: UpdateStateMachineInput) {
    const machine = this.#unlabeledMachine(input.stateMachineArn);
    if (
      input.definition === undefined &&
      input.roleArn === undefined &&
      input.loggingConfiguration === undefined &&
      input.tracingConfiguration === undefined
    ) {
      throw new SfnServiceError(
        'MissingRequiredParameter',
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
    if (input.roleArn !== undefined) assertRoleArn(input.roleArn);
    const definition = input.definition ?? machine.revision.definition;
    const roleArn = input.roleArn ?? machine.revision.roleArn;
    // Build first: an invalid definition must leave the machine as it was.
    if (definition !== machine.revision.definition || roleArn !== machine.revision.roleArn) {
      machine.revision = this.#options.buildRevision(definition, roleArn);
    }
    if (input.loggingConfiguration) machine.loggingConfiguration = input.loggingConfiguration;
    if (input.tracingConfiguration) machine.tracingConfiguration = input.tracingConfiguration;
    const version = input.publish ? this.#publish(machine, input.versionDescription) : undefined;
    return { updateDate: this.#now(), revisionId: machine.revision.id, stateMachineVersionArn: version?.arn };
  }

  publishStateMachineVersion(input: PublishStateMachineVersionInput) {
    const machine = this.#unlabeledMachine(input.stateMachineArn);
    if (input.revisionId !== undefined && input.revisionId !== machine.revision.id) {
      throw new SfnServiceError(
        'ConflictException',
        `Failed to publish the state machine version: revisionId '${input.revisionId}' is not the current revision '${machine.revision.id}'`,
      );
    }
    const version = this.#publish(machine, input.description);
    return { creationDate: version.creationDate, stateMachineVersionArn: version.arn };
  }

  listStateMachineVersions(input: ListStateMachineVersionsInput) {
    const machine = this.#unlabeledMachine(input.stateMachineArn);
    const newestFirst = [...machine.versions.values()].sort((a, b) => b.number - a.number);
    const offset = input.nextToken === undefined ? 0 : Number.parseInt(input.nextToken, 10);
    if (!Number.isInteger(offset) || offset < 0) {
      throw new SfnServiceError('ValidationException', `Invalid nextToken '${input.nextToken}'`);
    }
    const size = input.maxResults || DEFAULT_PAGE_SIZE;
    const page = newestFirst.slice(offset, offset + size);
    const more = offset + size < newestFirst.length;
    return {
      stateMachineVersions: page.map((version) => ({
        stateMachineVersionArn: version.arn,
        creationDate: version.creationDate,
      })),
      nextToken: more ? String(offset + size) : undefined,
    };
  }

  createStateMachineAlias(input: CreateStateMachineAliasInput) {
    assertValidAliasName(input.name);
    const machine = this.#checkRouting(input.routingConfiguration);
    const arn = `${machine.arn}:${input.name}`;
    const existing = machine.aliases.get(input.name);
    if (existing) {
      const same =
        existing.description === input.description &&
        JSON.stringify(existing.routing) === JSON.stringify(input.routingConfiguration);
      if (!same)
        throw new SfnServiceError(
          'ConflictException',
          `Alias '${arn}' already exists with a different configuration`,
        );
      return { stateMachineAliasArn: arn, creationDate: existing.creationDate };
    }
    const now = this.#now();
    machine.aliases.set(input.name, {
      name: input.name,
      arn,
      description: input.description,
      routing: input.routingConfiguration,
      creationDate: now,
      updateDate: now,
    });
    return { stateMachineAliasArn: arn, creationDate: now };
  }

  updateStateMachineAlias(input: UpdateStateMachineAliasInput) {
    const { machine, alias } = this.#alias(input.stateMachineAliasArn);
    if (input.routingConfiguration) {
      const target = this.#checkRouting(input.routingConfiguration);
      if (target !== machine) {
        throw new SfnServiceError(
          'ValidationException',
          `Routing configuration of alias '${alias.arn}' must name versions of '${machine.arn}'`,
        );
      }
      alias.routing = input.routingConfiguration;
    }
    if (input.description !== undefined) alias.description = input.description;
    alias.updateDate = this.#now();
    return { updateDate: alias.updateDate };
  }

  describeStateMachineAlias(input: DescribeStateMachineAliasInput) {
    const { alias } = this.#alias(input.stateMachineAliasArn);
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      description: alias.description,
      routingConfiguration: alias.routing,
      creationDate: alias.creationDate,
      updateDate: alias.updateDate,
    };
  }

  /** The machine and revision an execution started with `arn` (machine, version or alias) runs. */
  resolveExecutionTarget(arn: string): ExecutionTarget {
    const parsed = parseStateMachineArn(arn);
    const machine = this.#machine(parsed, arn);
    const qualifier = parsed.qualifier;
    if (qualifier === undefined) return { machine, revision: machine.revision };
    if (qualifier.kind === 'version') {
      const version = machine.versions.get(qualifier.version);
      if (!version) throw notFound(arn);
      return { machine, revision: version.revision, versionArn: version.arn };
    }
    const alias = machine.aliases.get(qualifier.alias);
    if (!alias) throw notFound(arn);
    const versionArn = this.#route(alias.routing);
    const version = machine.versions.get(versionNumber(versionArn));
    if (!version) throw notFound(versionArn);
    return { machine, revision: version.revision, versionArn: version.arn, aliasArn: alias.arn };
  }

  #publish(machine: StateMachineRecord, description: string | undefined): Version {
    // Publishing a revision that already has a version returns that version, as AWS does.
    for (const version of machine.versions.values()) {
      if (version.revision === machine.revision) return version;
    }
    const number = machine.nextVersion++;
    const version: Version = {
      number,
      arn: `${machine.arn}:${number}`,
      revision: machine.revision,
      description,
      creationDate: this.#now(),
    };
    machine.versions.set(number, version);
    return version;
  }

  #route(routing: RoutingConfiguration): string {
    const [first, second] = routing;
    if (!first) throw new SfnServiceError('ValidationException', 'An alias routes to at least one version');
    if (!second) return first.stateMachineVersionArn;
    const random = this.#options.random ?? Math.random;
    return random() * 100 < first.weight ? first.stateMachineVersionArn : second.stateMachineVersionArn;
  }

  /** Checks an alias routing configuration and returns the one machine its versions belong to. */
  #checkRouting(routing: RoutingConfiguration): StateMachineRecord {
    const total = routing.reduce((sum, route) => sum + route.weight, 0);
    if (total !== 100) {
      throw new SfnServiceError(
        'ValidationException',
        `Routing weights must add up to 100; they add up to ${total}`,
      );
    }
    if (new Set(routing.map((route) => route.stateMachineVersionArn)).size !== routing.length) {
      throw new SfnServiceError('ValidationException', 'Routing configuration names the same version twice');
    }
    const machines = routing.map((route) => {
      const parsed = parseStateMachineArn(route.stateMachineVersionArn);
      if (parsed.qualifier?.kind !== 'version') {
        throw new SfnServiceError(
          'ValidationException',
          `'${route.stateMachineVersionArn}' is not a state machine version ARN (expected ...:stateMachine:NAME:NUMBER)`,
        );
      }
      const machine = this.#machines.get(stateMachineArn(parsed, parsed.name));
      if (!machine?.versions.has(parsed.qualifier.version)) {
        throw new SfnServiceError(
          'ResourceNotFound',
          `Resource not found: '${route.stateMachineVersionArn}'`,
          {
            resourceName: route.stateMachineVersionArn,
          },
        );
      }
      return machine;
    });
    if (machines.some((machine) => machine !== machines[0])) {
      throw new SfnServiceError(
        'ValidationException',
        'All versions of an alias must belong to the same state machine',
      );
    }
    return machines[0]!;
  }

  #alias(aliasArn: string): { machine: StateMachineRecord; alias: Alias } {
    const parsed = parseStateMachineArn(aliasArn);
    if (parsed.qualifier?.kind !== 'alias') {
      throw new SfnServiceError('ValidationException', `'${aliasArn}' is not a state machine alias ARN`);
    }
    const machine = this.#machines.get(stateMachineArn(parsed, parsed.name));
    const alias = machine?.aliases.get(parsed.qualifier.alias);
    if (!machine || !alias) {
      throw new SfnServiceError('ResourceNotFound', `Resource not found: '${aliasArn}'`, {
        resourceName: aliasArn,
      });
    }
    return { machine, alias };
  }

  #unlabeledMachine(arn: string): StateMachineRecord {
    const parsed = parseStateMachineArn(arn);
    if (parsed.qualifier) throw labeledArn(arn);
    return this.#machine(parsed, arn);
  }

  #machine(parsed: ParsedStateMachineArn, arn: string): StateMachineRecord {
    const machine = this.#machines.get(stateMachineArn(parsed, parsed.name));
    if (!machine) throw notFound(arn);
    return machine;
  }

  #version(machine: StateMachineRecord, number: number, arn: string): Version {
    const version = machine.versions.get(number);
    if (!version) throw notFound(arn);
    return version;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

function versionNumber(versionArn: string): number {
  const qualifier = parseStateMachineArn(versionArn).qualifier;
  return qualifier?.kind === 'version' ? qualifier.version : -1;
}

function notFound(arn: string): SfnServiceError {
  return new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

function labeledArn(arn: string): SfnServiceError {
  return new SfnServiceError(
    'ValidationException',
    `This operation does not accept a version or alias ARN: '${arn}'; pass the state machine ARN`,
    { reason: 'API_DOES_NOT_SUPPORT_LABELED_ARNS' },
  );
}

function assertRoleArn(roleArn: string): void {
  if (!ROLE_ARN.test(roleArn)) {
    throw new SfnServiceError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${roleArn}' (expected an IAM role ARN)`,
    );
  }
}
