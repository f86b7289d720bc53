import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRootPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import type { TenantConfig } from '../tenant-config.ts';

/** The routes, as API Gateway route keys. The ingress and audit handlers switch on these. */
export const ROUTES = {
  startConversation: { method: HttpMethod.POST, path: '/v1/chat/conversations' },
  sendMessage: { method: HttpMethod.POST, path: '/v1/chat/conversations/{id}/messages' },
  /** A message answered 202 (its conversation was busy): its answer, once its turn has run. */
  messageAnswer: { method: HttpMethod.GET, path: '/v1/chat/conversations/{id}/messages/{messageId}' },
  conversationEvents: { method: HttpMethod.GET, path: '/v1/conversations/{id}/events' },
  verifyConversation: { method: HttpMethod.GET, path: '/v1/conversations/{id}/verify' },
} as const;

const STAGE = '$default';

/** One access-log line per request, JSON, without bodies or tokens. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  principal: '$context.identity.userArn',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
});

export interface TenantApiProps {
  readonly config: TenantConfig;
  readonly ingress: IFunction;
  readonly audit: IFunction;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
}

/**
 * The tenant's HTTP API. Every route is authorized:
 *
 * - chat routes: a JWT authorizer when the tenant config has `jwt` (the web widget's identity provider);
 *   otherwise IAM (SigV4) auth, with a `<tenant>-channel` role that trusted channel back ends assume. We
 *   chose IAM over a Lambda authorizer for that case: it needs no extra code on the request path, and a
 *   tenant without an identity provider has no browser clients to serve yet.
 * - audit routes: IAM auth only, with a `<tenant>-compliance` role that may call those two routes and nothing else.
 *
 * The `$default` stage is throttled per the tenant config and writes JSON access logs.
 */
export class TenantApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly complianceRole: Role;
  /** Only when the chat routes use IAM auth (no `jwt` in the tenant config). */
  readonly channelRole: Role | undefined;

  constructor(scope: Construct, id: string, { config, ingress, audit, key, logRetention }: TenantApiProps) {
    super(scope, id);
    const tenant = config.name;

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${tenant}-api`,
      description: `${tenant}: chat channel and audit API of the AOP platform`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: config.allowedOrigins,
        allowMethods: [CorsHttpMethod.POST, CorsHttpMethod.GET, CorsHttpMethod.OPTIONS],
        allowHeaders: [
          'authorization',
          'content-type',
          'idempotency-key',
          'x-amz-date',
          'x-amz-security-token',
        ],
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${tenant}-api-access`,
      retention: logRetention,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: STAGE,
      autoDeploy: true,
      throttle: { rateLimit: config.api.throttleRatePerSecond, burstLimit: config.api.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    const chatAuthorizer: IHttpRouteAuthorizer = config.jwt
      ? new HttpJwtAuthorizer('ChatJwtAuthorizer', config.jwt.issuer, {
          authorizerName: `${tenant}-chat-jwt`,
          jwtAudience: config.jwt.audience,
          identitySource: ['$request.header.Authorization'],
        })
      : new HttpIamAuthorizer();
    const chat = new HttpLambdaIntegration('ChatIngress', ingress);
    for (const route of [ROUTES.startConversation, ROUTES.sendMessage, ROUTES.messageAnswer]) {
      this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: chat,
        authorizer: chatAuthorizer,
      });
    }
    const auditIntegration = new HttpLambdaIntegration('AuditApi', audit);
    for (const route of [ROUTES.conversationEvents, ROUTES.verifyConversation]) {
      this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: auditIntegration,
        authorizer: new HttpIamAuthorizer(),
      });
    }

    this.complianceRole = new Role(this, 'ComplianceRole', {
      roleName: `${tenant}-compliance`,
      assumedBy: new AccountRootPrincipal(),
      description: `${tenant}: compliance reviewers; may read conversation events and verify them, nothing else`,
      maxSessionDuration: Duration.hours(1),
    });
    this.allowRoutes(this.complianceRole, 'AuditRoutesOnly', [
      ROUTES.conversationEvents,
      ROUTES.verifyConversation,
    ]);

    if (!config.jwt) {
      this.channelRole = new Role(this, 'ChannelRole', {
        roleName: `${tenant}-channel`,
        assumedBy: new AccountRootPrincipal(),
        description: `${tenant}: channel back ends (web, e-mail, voice) post customer messages; nothing else`,
        maxSessionDuration: Duration.hours(1),
      });
      this.allowRoutes(this.channelRole, 'ChatRoutesOnly', [
        ROUTES.startConversation,
        ROUTES.sendMessage,
        ROUTES.messageAnswer,
      ]);
    }
  }

  /** `execute-api:Invoke` on exactly these routes (method and path) of this API's stage. */
  private allowRoutes(
    role: Role,
    sid: string,
    routes: readonly { method: HttpMethod; path: string }[],
  ): void {
    const arns = routes.map((route) => this.routeArn(route));
    role.addToPolicy(new PolicyStatement({ sid, actions: ['execute-api:Invoke'], resources: arns }));
    for (const [index, arn] of arns.entries()) {
      if (!arn.includes('*')) continue;
      acknowledge(
        role,
        wildcardResourceFinding(this, arn),
        `The only wildcards are the path parameters ({id}, {messageId}) of ${routes[index]!.method} ${routes[index]!.path}: an execute-api ARN cannot name a route template, so any conversation id must match; API, stage, method and path are fixed.`,
      );
    }
  }

  /** `https://<api-id>.execute-api.<region>.amazonaws.com/` */
  get url(): string {
    return this.stage.url;
  }

  /** The execute-api ARN of one route; a path parameter becomes `*` (IAM matches it against one segment or more). */
  routeArn(route: { readonly method: HttpMethod; readonly path: string }): string {
    return this.api.arnForExecuteApi(route.method, route.path.replace(/\{[^}]+\}/g, '*'), STAGE);
  }
}
