import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  type Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { TenantConfig } from '../tenant-config.ts';

/**
 * Custom metrics, from metric filters on the state machines' execution-history log group (AWS's own log
 * format, and state names fixed by the compiler: a turn that escalates always passes the `Escalated` state),
 * so they do not depend on what a handler chooses to log. One namespace per tenant.
 */
export const TURN_METRICS = {
  /** One per Express execution, i.e. per customer turn. */
  turns: { metricName: 'Turns', pattern: '{ $.type = "ExecutionStarted" }' },
  /** Turns that did not complete: the customer got no answer from the procedure. */
  failedTurns: {
    metricName: 'FailedTurns',
    pattern:
      '{ ($.type = "ExecutionFailed") || ($.type = "ExecutionTimedOut") || ($.type = "ExecutionAborted") }',
  },
  /** Turns that ended handed to a human (the compiler routes every hand-off through `Escalated`). */
  escalations: {
    metricName: 'Escalations',
    pattern: '{ ($.type = "PassStateEntered") && ($.details.name = "Escalated") }',
  },
} as const;

export function metricNamespace(tenant: string): string {
  return `AopPlatform/${tenant}`;
}

export interface MonitoringProps {
  readonly config: TenantConfig;
  readonly key: IKey;
  readonly api: HttpApi;
  readonly executionLogs: ILogGroup;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly tool: IFunction;
}

/**
 * Alarms to an encrypted SNS topic with the tenant's alarm e-mail, and one dashboard:
 *
 * | alarm | metric | fires when |
 * | --- | --- | --- |
 * | `<t>-api-5xx` | AWS/ApiGateway `5xx` (ApiId) | sum over 5 min ≥ `alarms.api5xxPerFiveMinutes` |
 * | `<t>-api-latency-p95` | AWS/ApiGateway `Latency` p95 | > `alarms.p95LatencyMs` in 2 of 3 five-minute periods |
 * | `<t>-failed-turns` | `AopPlatform/<t>` `FailedTurns` | sum over 5 min ≥ `alarms.failedTurnsPerFiveMinutes` |
 * | `<t>-tool-failure-rate` | AWS/Lambda `Errors` / `Invocations` of `<t>-run-tool` | % over 15 min > `alarms.toolFailureRatePercent` |
 * | `<t>-escalation-rate` | `Escalations` / `Turns` | % over 1 h > `alarms.escalationRatePercent` (at least 10 turns) |
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: readonly Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config, api } = props;
    const tenant = config.name;
    const namespace = metricNamespace(tenant);

    this.topic = new Topic(this, 'AlarmTopic', {
      topicName: `${tenant}-alarms`,
      displayName: `${tenant} AOP platform alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    this.topic.addSubscription(new EmailSubscription(config.alarmEmail));

    const custom: Record<keyof typeof TURN_METRICS, Metric> = {} as never;
    for (const [key, spec] of Object.entries(TURN_METRICS) as [
      keyof typeof TURN_METRICS,
      (typeof TURN_METRICS)[keyof typeof TURN_METRICS],
    ][]) {
      const filter = new MetricFilter(this, `${spec.metricName}Filter`, {
        logGroup: props.executionLogs,
        filterName: `${tenant}-${spec.metricName}`,
        filterPattern: FilterPattern.literal(spec.pattern),
        metricNamespace: namespace,
        metricName: spec.metricName,
        metricValue: '1',
        defaultValue: 0,
      });
      custom[key] = filter.metric({ statistic: 'Sum', period: Duration.minutes(5) });
    }

    const fiveMinutes = Duration.minutes(5);
    const api5xx = api.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    const apiLatencyP95 = api.metricLatency({ period: fiveMinutes, statistic: 'p95' });
    const toolInvocations = props.tool.metricInvocations({ period: Duration.minutes(15), statistic: 'Sum' });
    const toolErrors = props.tool.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' });
    const toolFailureRate = new MathExpression({
      label: 'Tool failure rate (%)',
      expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
      usingMetrics: { invocations: toolInvocations, errors: toolErrors },
      period: Duration.minutes(15),
    });
    const hourly = (metric: Metric) => metric.with({ period: Duration.hours(1) });
    const escalationRate = new MathExpression({
      label: 'Escalation rate (%)',
      expression: 'IF(turns >= 10, 100 * escalations / turns, 0)',
      usingMetrics: { turns: hourly(custom.turns), escalations: hourly(custom.escalations) },
      period: Duration.hours(1),
    });

    const alarm = (
      constructId: string,
      name: string,
      metric: IMetric,
      description: string,
      options: {
        threshold: number;
        comparison: ComparisonOperator;
        evaluationPeriods?: number;
        datapointsToAlarm?: number;
      },
    ) =>
      new Alarm(this, constructId, {
        alarmName: `${tenant}-${name}`,
        alarmDescription: description,
        metric,
        threshold: options.threshold,
        comparisonOperator: options.comparison,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const atLeast = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const above = ComparisonOperator.GREATER_THAN_THRESHOLD;
    this.alarms = [
      alarm('Api5xxAlarm', 'api-5xx', api5xx, 'The API answered 5xx: customers or reviewers got an error.', {
        threshold: config.alarms.api5xxPerFiveMinutes,
        comparison: atLeast,
      }),
      alarm('ApiLatencyAlarm', 'api-latency-p95', apiLatencyP95, 'p95 latency of the API is above target.', {
        threshold: config.alarms.p95LatencyMs,
        comparison: above,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      }),
      alarm(
        'FailedTurnsAlarm',
        'failed-turns',
        custom.failedTurns,
        'Turns failed, timed out or aborted (see the procedures log group).',
        {
          threshold: config.alarms.failedTurnsPerFiveMinutes,
          comparison: atLeast,
        },
      ),
      alarm(
        'ToolFailureRateAlarm',
        'tool-failure-rate',
        toolFailureRate,
        'The tool runner is failing (errors thrown, retries included).',
        {
          threshold: config.alarms.toolFailureRatePercent,
          comparison: above,
        },
      ),
      alarm(
        'EscalationRateAlarm',
        'escalation-rate',
        escalationRate,
        'An unusual share of turns is handed to a human.',
        {
          threshold: config.alarms.escalationRatePercent,
          comparison: above,
        },
      ),
    ];
    const action = new SnsAction(this.topic);
    for (const each of this.alarms) {
      each.addAlarmAction(action);
      each.addOkAction(action);
    }

    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${tenant}-aop-platform`,
      widgets: [
        [
          new TextWidget({
            markdown: `# ${tenant}\nChat and audit API, one Express execution per customer turn. Alarms go to ${config.alarmEmail}.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [
              api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
              api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
              api5xx,
            ],
            width: 8,
          }),
          new GraphWidget({
            title: 'API latency (ms)',
            left: [api.metricLatency({ period: fiveMinutes, statistic: 'p50' }), apiLatencyP95],
            width: 8,
          }),
          new GraphWidget({
            title: 'Turns',
            left: [custom.turns, custom.failedTurns, custom.escalations],
            width: 8,
          }),
        ],
        [
          new GraphWidget({ title: 'Tool failure rate (%)', left: [toolFailureRate], width: 8 }),
          new GraphWidget({ title: 'Escalation rate (%)', left: [escalationRate], width: 8 }),
          new GraphWidget({
            title: 'Lambda errors',
            left: functions.map(([name, fn]) =>
              fn.metricErrors({ period: fiveMinutes, statistic: 'Sum', label: name }),
            ),
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Lambda duration p95 (ms)',
            left: functions.map(([name, fn]) =>
              fn.metricDuration({ period: fiveMinutes, statistic: 'p95', label: name }),
            ),
            width: 12,
          }),
          new GraphWidget({
            title: 'Lambda throttles',
            left: functions.map(([name, fn]) =>
              fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum', label: name }),
            ),
            width: 12,
          }),
        ],
      ],
    });
  }
}
