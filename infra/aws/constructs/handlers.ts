import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** The Lambda handlers of one tenant: file under `functions/`, physical name suffix, sizing. */
export const HANDLERS = {
  chatIngress: {
    file: 'chat-ingress.ts',
    name: 'chat-ingress',
    description:
      'Chat channel: starts or continues a conversation, one synchronous Express execution per turn',
    // The HTTP API gives an integration at most 30 s; the ingress must answer (or fail) before that.
    timeout: Duration.seconds(29),
    memorySize: 512,
  },
  understand: {
    file: 'understand.ts',
    name: 'understand',
    description: "Step task: the turn's single model call (Bedrock Converse), recorded as model.called",
    timeout: Duration.seconds(25),
    memorySize: 512,
  },
  runTool: {
    file: 'run-tool.ts',
    name: 'run-tool',
    description:
      'Step task: checks a tool call against its guards and the event log, then runs it idempotently',
    timeout: Duration.seconds(15),
    memorySize: 512,
  },
  reply: {
    file: 'reply.ts',
    name: 'reply',
    description: 'Step task: renders the reply for the customer and records message.sent',
    timeout: Duration.seconds(20),
    memorySize: 512,
  },
  handoff: {
    file: 'handoff.ts',
    name: 'handoff',
    description: 'Step task: hands the conversation to a human and records handoff.requested',
    timeout: Duration.seconds(10),
    memorySize: 256,
  },
  auditApi: {
    file: 'audit-api.ts',
    name: 'audit-api',
    description: "Compliance: a conversation's events and the verification of its hash chain (read-only)",
    timeout: Duration.seconds(15),
    memorySize: 512,
  },
} as const;

export type HandlerKey = keyof typeof HANDLERS;

/**
 * esbuild options shared by every handler. ESM output (the code is ESM), with a `require` shim for the
 * CommonJS dependencies esbuild inlines. The AWS SDK is bundled, not taken from the runtime: the SDK version
 * pinned in package-lock.json is the one tested locally (DESIGN decision 4), and the Lambda runtime's copy
 * changes under us.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
  bundleAwsSDK: true,
  logLevel: LogLevel.WARNING,
};

export interface HandlersProps {
  readonly tenant: string;
  /** Repository root: the lock file and `functions/` are under it. */
  readonly root: string;
  /** Default: `<root>/functions`. */
  readonly functionsDir?: string;
  /**
   * The tenant folder this stack serves (`aops/<tenant>`): each bundle's entry imports it, so the
   * bundle holds this tenant and no other (the platform's code names none; docs/tenants.md).
   */
  readonly tenantDir: string;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /** Environment of each handler (the stack knows what each one needs). */
  readonly environment: (key: HandlerKey) => Record<string, string>;
}

/**
 * The entry of each handler's bundle: the tenant is imported (and made the process's tenant) before the
 * handler's module runs, since ES modules run in import order. Written under `.cache/lambda-entries/`
 * at synth; esbuild follows the imports, so the bundle holds the platform, this tenant, and nothing of
 * any other tenant.
 */
export function tenantEntries(
  root: string,
  tenant: string,
  tenantDir: string,
  functionsDir: string,
): Record<HandlerKey, string> {
  const dir = join(root, '.cache', 'lambda-entries', tenant);
  mkdirSync(dir, { recursive: true });
  const from = (target: string) => {
    const path = relative(dir, target).split('\\').join('/');
    return path.startsWith('.') ? path : `./${path}`;
  };
  const load = join(dir, 'load-tenant.ts');
  writeIfChanged(
    load,
    [
      '// Generated at synth by infra/aws/constructs/handlers.ts: this bundle serves one tenant.',
      `import tenant from '${from(join(tenantDir, 'tenant.ts'))}';`,
      `import { namedAfter } from '${from(join(root, 'shared', 'tenant', 'define-tenant.ts'))}';`,
      `import { useTenant } from '${from(join(root, 'shared', 'tenant', 'load.ts'))}';`,
      '',
      `useTenant(namedAfter(tenant, ${JSON.stringify(basename(tenantDir))}));`,
      '',
    ].join('\n'),
  );
  const entries: Partial<Record<HandlerKey, string>> = {};
  for (const key of Object.keys(HANDLERS) as HandlerKey[]) {
    const file = join(dir, HANDLERS[key].file);
    writeIfChanged(
      file,
      [
        '// Generated at synth by infra/aws/constructs/handlers.ts: the tenant first, then the handler.',
        "import './load-tenant.ts';",
        '',
        `export { handler } from '${from(join(functionsDir, HANDLERS[key].file))}';`,
        '',
      ].join('\n'),
    );
    entries[key] = file;
  }
  return entries as Record<HandlerKey, string>;
}

/**
 * Writes a generated entry unless it already holds `text`, by renaming a complete file into place: two
 * syntheses of one tenant at once (a test run's setup and its tests) never let esbuild read half a file.
 */
function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * One `NodejsFunction` per handler: Node 22 on arm64, X-Ray active, JSON logs into a tenant-named log group
 * encrypted with the tenant key, and a role of its own that starts empty: the stack grants each function
 * exactly what it uses (no AWSLambdaBasicExecutionRole: the log permission is on its own log group only).
 */
export class Handlers extends Construct {
  readonly functions: Record<HandlerKey, NodejsFunction>;
  readonly logGroups: Record<HandlerKey, LogGroup>;

  constructor(scope: Construct, id: string, props: HandlersProps) {
    super(scope, id);
    const functionsDir = props.functionsDir ?? join(props.root, 'functions');
    const entries = tenantEntries(props.root, props.tenant, props.tenantDir, functionsDir);
    const functions: Partial<Record<HandlerKey, NodejsFunction>> = {};
    const logGroups: Partial<Record<HandlerKey, LogGroup>> = {};
    for (const key of Object.keys(HANDLERS) as HandlerKey[]) {
      const spec = HANDLERS[key];
      const functionName = `${props.tenant}-${spec.name}`;
      const construct = new Construct(this, key[0]!.toUpperCase() + key.slice(1));
      const logGroup = new LogGroup(construct, 'LogGroup', {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: props.logRetention,
        encryptionKey: props.key,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new Role(construct, 'Role', {
        roleName: functionName,
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `${functionName}: only what this handler uses`,
      });
      logGroup.grantWrite(role);
      functions[key] = new NodejsFunction(construct, 'Function', {
        functionName,
        description: spec.description,
        entry: entries[key],
        handler: 'handler',
        projectRoot: props.root,
        depsLockFilePath: join(props.root, 'package-lock.json'),
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memorySize,
        timeout: spec.timeout,
        tracing: Tracing.ACTIVE,
        role,
        logGroup,
        loggingFormat: LoggingFormat.JSON,
        // Stack traces point into the TypeScript sources (the bundles carry source maps).
        environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment(key) },
        bundling: BUNDLING,
      });
      acknowledge(
        functions[key],
        'AwsSolutions-L1',
        'Node.js 22 is the runtime the platform targets (DESIGN.md; esbuild target node22) and is tested against; handlers move to a newer runtime together, deliberately, not one by one.',
      );
      acknowledge(
        role,
        'AwsSolutions-IAM5[Resource::*]',
        'Only for X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so IAM requires Resource "*" for them; every other statement names its resources.',
      );
      logGroups[key] = logGroup;
    }
    this.functions = functions as Record<HandlerKey, NodejsFunction>;
    this.logGroups = logGroups as Record<HandlerKey, LogGroup>;
  }
}
