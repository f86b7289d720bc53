import '../../shared/polyfills.ts';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineAliasCommand, CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { ensureRetailTables, loadRetailDb, seedRetail } from '../../aops/retail/tools/store.ts';
import { loadProjects } from '../../cli/project.ts';
import { compileProject } from '../../shared/aop/index.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { createHttpAdapter } from './http-adapter.ts';
import { startLocalModelEndpoint } from './model-endpoint/server.ts';
import { startLocalSfnEndpoint } from './sfn-endpoint/server.ts';

/**
 * The whole platform on one machine (DESIGN.md decision 4): DynamoDB Local, the local Step Functions
 * endpoint running the compiled ASL, the local model endpoint, and an HTTP server with the API
 * Gateway routes. The handlers are the Lambda handlers of `functions/`, configured through the same
 * environment variables as in AWS; only the endpoints differ.
 */
export interface PlatformOptions {
  readonly port?: number;
  /** Use an already running DynamoDB (tests share one); default: start DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** Prefix of every table, so several platforms can share one DynamoDB. */
  readonly tenant?: string;
  readonly aopsDir?: string;
  readonly log?: (line: string) => void;
}

export interface RunningPlatform {
  readonly url: string;
  readonly tenant: string;
  readonly eventsTable: string;
  readonly dataTablePrefix: string;
  readonly dynamodbEndpoint: string;
  readonly stateMachines: Record<string, string>;
  stop(): Promise<void>;
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const log = options.log ?? (() => {});
  const tenant = options.tenant ?? 'local';
  const stops: (() => Promise<void>)[] = [];
  process.env.AWS_REGION ??= REGION;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  // Powertools' own switches: no CloudWatch here; keep the console for warnings.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

  let dynamodbEndpoint = options.dynamodbEndpoint;
  if (!dynamodbEndpoint) {
    const ddb = await startDynamoDbLocal();
    stops.push(() => ddb.stop());
    dynamodbEndpoint = ddb.endpoint;
    log(`DynamoDB Local on ${ddb.endpoint}`);
  }
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbEndpoint;
  const model = await startLocalModelEndpoint({ port: 0 });
  stops.push(() => model.stop());
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = model.endpoint;
  log(`local model endpoint (deterministic extraction engine) on ${model.endpoint}`);

  const eventsTable = `${tenant}-events`;
  const dataTablePrefix = `${tenant}-retail-`;
  const dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint });
  await ensureEventTable(dynamodb, eventsTable);
  await ensureRetailTables(dynamodb, dataTablePrefix);
  await seedRetail(dynamodb, dataTablePrefix, loadRetailDb());
  log(`tables ${eventsTable} and ${dataTablePrefix}* ready, retail data seeded`);

  const { projects } = await loadProjects([
    options.aopsDir ?? resolve(import.meta.dirname, '../../aops/retail'),
  ]);
  const project = projects[0];
  if (!project) throw new Error('No tenant procedures found to compile');
  const compiled = compileProject(project.sources, { catalogue: project.catalogue });
  const broken = compiled.filter((aop) => !aop.asl);
  if (broken.length > 0)
    throw new Error(
      `Procedures do not compile: ${broken.map((aop) => `${aop.file} (${aop.diagnostics[0]?.code}: ${aop.diagnostics[0]?.message})`).join('; ')}`,
    );

  Object.assign(process.env, {
    TENANT: tenant,
    EVENTS_TABLE: eventsTable,
    DATA_TABLE_PREFIX: dataTablePrefix,
    MODEL_ID: 'local.extraction-engine',
    FALLBACK_AOP: project.fallbackAop ?? 'transfer-to-human',
  });
  const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${tenant}-${name}`;
  const [understand, runTool, reply, handoff] = await Promise.all([
    import('../../functions/understand.ts'),
    import('../../functions/run-tool.ts'),
    import('../../functions/reply.ts'),
    import('../../functions/handoff.ts'),
  ]);
  const substitutions: Record<string, string> = {
    UnderstandFunctionArn: functionArn('understand'),
    ToolFunctionArn: functionArn('run-tool'),
    ReplyFunctionArn: functionArn('reply'),
    HandoffFunctionArn: functionArn('handoff'),
  };
  const sfnEndpoint = await startLocalSfnEndpoint({
    port: 0,
    lambdas: {
      [substitutions.UnderstandFunctionArn!]: understand.handler,
      [substitutions.ToolFunctionArn!]: runTool.handler,
      [substitutions.ReplyFunctionArn!]: reply.handler,
      [substitutions.HandoffFunctionArn!]: handoff.handler,
    },
  });
  stops.push(() => sfnEndpoint.stop());
  const sfn = createSfnClient({ endpoint: sfnEndpoint.endpoint, region: REGION });
  const stateMachines: Record<string, string> = {};
  const routes: { id: string; version: number; when: string; cutoffDays: number[] }[] = [];
  for (const aop of compiled) {
    if (!aop.asl || !aop.manifest || aop.manifest.kind !== 'procedure') continue;
    // What CloudFormation does with definitionSubstitutions in AWS.
    const definition = JSON.stringify(aop.asl).replace(
      /\$\{([A-Za-z]+)\}/g,
      (whole, key: string) => substitutions[key] ?? whole,
    );
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: `${tenant}-${aop.id}`,
        definition,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/${tenant}-states`,
        type: 'EXPRESS',
        publish: true,
        versionDescription: aop.manifest.sourceHash,
      }),
    );
    const alias = await sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn!, weight: 100 }],
      }),
    );
    stateMachines[aop.id] = alias.stateMachineAliasArn!;
    routes.push({ id: aop.id, version: 1, when: aop.manifest.when, cutoffDays: aop.manifest.cutoffDays });
  }
  Object.assign(process.env, {
    STATE_MACHINES: JSON.stringify(stateMachines),
    AOP_ROUTES: JSON.stringify(routes),
    AWS_ENDPOINT_URL_SFN: sfnEndpoint.endpoint,
  });
  log(
    `local Step Functions on ${sfnEndpoint.endpoint}: ${Object.keys(stateMachines).length} state machines (alias live)`,
  );

  const [chat, audit] = await Promise.all([
    import('../../functions/chat-ingress.ts'),
    import('../../functions/audit-api.ts'),
  ]);
  const server = createHttpAdapter([
    { prefix: /^\/v1\/chat\//, handler: chat.handler },
    { prefix: /^\/v1\/conversations\//, handler: audit.handler },
  ]);
  await new Promise<void>((done) => server.listen(options.port ?? 3000, '127.0.0.1', done));
  stops.push(() => new Promise((done) => server.close(() => done())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tenant,
    eventsTable,
    dataTablePrefix,
    dynamodbEndpoint,
    stateMachines,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {});
      dynamodb.destroy();
    },
  };
}
