import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TenantTable } from '../../../shared/tenant/define-tenant.ts';

export interface DataStoresProps {
  /** Prefix of every physical name. */
  readonly tenant: string;
  /** The tables the tenant's tools use, as its `defineTenant` declares them (docs/tenants.md). */
  readonly tables: readonly TenantTable[];
}

/**
 * What a function may do with the event log. Events are immutable: no role gets UpdateItem, and only the
 * ingress gets DeleteItem, for the conversation lock lease it keeps in the same table (`sk = lock`,
 * `shared/engine/lock.ts`); IAM cannot limit DeleteItem to a sort key, see docs/deploy.md.
 */
export type EventAccess = 'append' | 'append-and-lock' | 'read';

/**
 * The tenant's data at rest, all encrypted with one customer-managed key:
 *
 * - `<tenant>-events`: the conversation event log (`pk`/`sk` strings, see `shared/events/table.ts`), with
 *   point-in-time recovery, a NEW_IMAGE stream for projections, deletion protection, and RETAIN: the audit
 *   trail outlives the stack.
 * - `<tenant>-keys`: one data key per conversation, wrapped by KMS with this key, and the customer ↔
 *   conversation links (`pk`/`sk` strings, see `shared/privacy/key-store.ts`). Erasing a customer destroys
 *   their keys here while the event log stays append-only, so it has the event log's protections (PITR,
 *   deletion protection, RETAIN): losing this table would make every encrypted event unreadable.
 * - `<tenant>-<table>`: the tables the tenant declares (`defineTenant({ tables })`, the ones `npm start`
 *   creates locally; retail's are users, orders, products and tool-calls). These hold the tenant's working
 *   copy of its business data; they are destroyed with the stack (reseed from the source of record).
 */
export class DataStores extends Construct {
  readonly key: Key;
  readonly events: Table;
  /** `KEYS_TABLE`: the per-conversation data keys (`shared/privacy/key-store.ts`). */
  readonly keys: Table;
  /** The tenant's declared tables, by their declared name. */
  readonly dataTables: Readonly<Record<string, Table>>;
  /** `DATA_TABLE_PREFIX`: the tools append a declared table's name (`users` → `<tenant>-users`). */
  readonly dataTablePrefix: string;
  private readonly declared: readonly TenantTable[];

  constructor(scope: Construct, id: string, { tenant, tables }: DataStoresProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', {
      alias: `alias/${tenant}-aop-platform`,
      description: `${tenant}: encrypts the event log, tool data, logs and the alarm topic`,
      enableKeyRotation: true,
      // The retained event table stays encrypted with this key: deleting the key would make the audit
      // trail unreadable, so the key is retained with it.
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch Logs encrypts this tenant's log groups (and only those) with the key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsForThisTenant',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': [
              `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/lambda/${tenant}-*`,
              `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/vendedlogs/states/${tenant}-*`,
              `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/apigateway/${tenant}-*`,
            ],
          },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted alarm topic.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsToEncryptedTopic',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    } as const;

    this.events = new Table(this, 'EventsTable', {
      ...common,
      tableName: `${tenant}-events`,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      stream: StreamViewType.NEW_IMAGE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.keys = new Table(this, 'KeysTable', {
      ...common,
      tableName: `${tenant}-keys`,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.dataTablePrefix = `${tenant}-`;
    this.declared = tables;
    const dataTables: Record<string, Table> = {};
    for (const declared of tables) {
      // Logical ids from the name (`tool-calls` → ToolCallsTable), stable across releases.
      const constructId = `${declared.name
        .split('-')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('')}Table`;
      const table = new Table(this, constructId, {
        ...common,
        tableName: `${this.dataTablePrefix}${declared.name}`,
        partitionKey: { name: declared.partitionKey, type: AttributeType.STRING },
        ...(declared.sortKey ? { sortKey: { name: declared.sortKey, type: AttributeType.STRING } } : {}),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      for (const index of declared.indexes ?? [])
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
          projectionType: index.projection === 'all' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
        });
      dataTables[declared.name] = table;
    }
    this.dataTables = dataTables;
  }

  /**
   * Event-log access, action by action (no `dynamodb:*`, no index wildcard). Appending is one
   * TransactWriteItems of conditional Puts (`shared/events/store.ts`), which IAM authorizes as PutItem, plus
   * GetItem/Query for the chain head and idempotent replays. Reading is GetItem + Query (one conversation).
   * The ingress also takes and releases the conversation lock lease: a conditional PutItem and DeleteItem
   * (inside the turn's own transactions, which IAM authorizes item by item all the same).
   */
  grantEvents(grantee: IGrantable, access: EventAccess): void {
    const read = ['dynamodb:GetItem', 'dynamodb:Query'];
    const actions = {
      read,
      append: [...read, 'dynamodb:PutItem'],
      'append-and-lock': [...read, 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    }[access];
    const sid = { read: 'EventsRead', append: 'EventsAppend', 'append-and-lock': 'EventsAppendAndLock' }[
      access
    ];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ sid, actions, resources: [this.events.tableArn] }),
    );
    this.grantKey(grantee, access === 'read' ? 'read' : 'write');
    this.grantDataKeys(grantee, access === 'read' ? 'read' : 'write', access === 'append-and-lock');
  }

  /**
   * The data keys that come with the event log (`shared/privacy/private-store.ts`): reading a conversation
   * gets and unwraps its key (GetItem, kms:Decrypt); appending may also create it (a conditional PutItem,
   * kms:Encrypt) and link the conversation to its customer (PutItem). The ingress, which appends customer
   * messages, checks in the same transaction that the key was not erased (ConditionCheckItem). Erasure
   * (Query, DeleteItem) is an
   * operator's job (`aop erase`), not a function's. KMS is called directly here, not through DynamoDB, so
   * the condition is the encryption context instead: only data keys wrapped for this keys table.
   */
  private grantDataKeys(grantee: IGrantable, access: 'read' | 'write', checksErasure = false): void {
    const principal = grantee.grantPrincipal;
    const write = [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      ...(checksErasure ? ['dynamodb:ConditionCheckItem'] : []),
    ];
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: access === 'read' ? 'DataKeysRead' : 'DataKeysReadWrite',
        actions: access === 'read' ? ['dynamodb:GetItem'] : write,
        resources: [this.keys.tableArn],
      }),
    );
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: access === 'read' ? 'DataKeysUnwrap' : 'DataKeysWrapAndUnwrap',
        actions: access === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:Encrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:table': this.keys.tableName } },
      }),
    );
  }

  /**
   * The tool runner's access, from the tenant's declaration of each table: GetItem on all of them, PutItem
   * on those it writes, Scan on those it lists whole, Query on each declared index (never `index/*`).
   */
  grantToolStore(grantee: IGrantable): void {
    const principal = grantee.grantPrincipal;
    const arn = (declared: TenantTable) => this.dataTables[declared.name]!.tableArn;
    const writes = this.declared.filter((declared) => (declared.access ?? 'read-write') === 'read-write');
    const reads = this.declared.filter((declared) => declared.access === 'read');
    const scans = this.declared.filter((declared) => declared.scans === true);
    const indexes = this.declared.flatMap((declared) =>
      (declared.indexes ?? []).map((index) => `${arn(declared)}/index/${index.name}`),
    );
    if (writes.length > 0)
      principal.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ToolStoreReadWrite',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: writes.map(arn),
        }),
      );
    if (reads.length > 0)
      principal.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ToolStoreRead',
          actions: ['dynamodb:GetItem'],
          resources: reads.map(arn),
        }),
      );
    if (scans.length > 0)
      principal.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'ToolStoreScan', actions: ['dynamodb:Scan'], resources: scans.map(arn) }),
      );
    if (indexes.length > 0)
      principal.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'ToolStoreIndexes', actions: ['dynamodb:Query'], resources: indexes }),
      );
    this.grantKey(grantee, 'write');
  }

  /** Key use only through DynamoDB (`kms:ViaService`): a function can never decrypt with the key directly. */
  private grantKey(grantee: IGrantable, access: 'read' | 'write'): void {
    const stack = Stack.of(this);
    const actions =
      access === 'read'
        ? ['kms:Decrypt', 'kms:DescribeKey']
        : [
            'kms:Decrypt',
            'kms:DescribeKey',
            'kms:Encrypt',
            'kms:GenerateDataKey',
            'kms:GenerateDataKeyWithoutPlaintext',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
          ];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: access === 'read' ? 'TableKeyRead' : 'TableKeyWrite',
        actions,
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` } },
      }),
    );
  }
}
