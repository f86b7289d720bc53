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

export interface DataStoresProps {
  /** Prefix of every physical name. */
  readonly tenant: string;
}

/**
 * What a function may do with the event log. Events are immutable: no role gets UpdateItem, and only the
 * ingress gets DeleteItem, for the conversation lock lease it keeps in the same table (`sk = lock`,
 * `shared/engine/lock.ts`); IAM cannot limit DeleteItem to a sort key, see docs/deploy.md.
 */
export type EventAccess = 'append' | 'append-and-lock' | 'read';

/** The retail tool store's indexes (see `aops/retail/tools/store.ts`): user ids by e-mail and by name + zip. */
export const USER_INDEXES = ['by-email', 'by-name-zip'] as const;

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
 * - `<tenant>-users|orders|products|tool-calls`: the tool store, in the layout `aops/retail/tools/store.ts`
 *   creates locally (`tool-calls` holds one item per idempotent write). These hold the tenant's working copy
 *   of its business data; they are destroyed with the stack (reseed from the source of record).
 */
export class DataStores extends Construct {
  readonly key: Key;
  readonly events: Table;
  /** `KEYS_TABLE`: the per-conversation data keys (`shared/privacy/key-store.ts`). */
  readonly keys: Table;
  readonly users: Table;
  readonly orders: Table;
  readonly products: Table;
  readonly toolCalls: Table;
  /** `DATA_TABLE_PREFIX`: the tool store appends `users`, `orders`, `products`, `tool-calls`. */
  readonly dataTablePrefix: string;

  constructor(scope: Construct, id: string, { tenant }: DataStoresProps) {
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
    const dataTable = (constructId: string, name: string, key: string) =>
      new Table(this, constructId, {
        ...common,
        tableName: `${this.dataTablePrefix}${name}`,
        partitionKey: { name: key, type: AttributeType.STRING },
        removalPolicy: RemovalPolicy.DESTROY,
      });
    this.users = dataTable('UsersTable', 'users', 'user_id');
    this.users.addGlobalSecondaryIndex({
      indexName: USER_INDEXES[0],
      partitionKey: { name: 'email_key', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    this.users.addGlobalSecondaryIndex({
      indexName: USER_INDEXES[1],
      partitionKey: { name: 'name_zip_key', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    this.orders = dataTable('OrdersTable', 'orders', 'order_id');
    this.products = dataTable('ProductsTable', 'products', 'product_id');
    this.toolCalls = dataTable('ToolCallsTable', 'tool-calls', 'idempotency_key');
  }

  /** The data tables, by the name suffix the tool store uses. */
  get dataTables(): Record<'users' | 'orders' | 'products' | 'tool-calls', Table> {
    return { users: this.users, orders: this.orders, products: this.products, 'tool-calls': this.toolCalls };
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
   * The tool runner's access, derived from what `aops/retail/tools/store.ts` does: users by key and by its
   * two indexes, conditional puts of users and orders, product reads and scans (the catalogue is one page),
   * and the idempotency records of write calls.
   */
  grantToolStore(grantee: IGrantable): void {
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ToolStoreReadWrite',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [this.users.tableArn, this.orders.tableArn, this.toolCalls.tableArn],
      }),
    );
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ToolStoreUserIndexes',
        actions: ['dynamodb:Query'],
        resources: USER_INDEXES.map((index) => `${this.users.tableArn}/index/${index}`),
      }),
    );
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ToolStoreCatalogueRead',
        actions: ['dynamodb:GetItem', 'dynamodb:Scan'],
        resources: [this.products.tableArn],
      }),
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
