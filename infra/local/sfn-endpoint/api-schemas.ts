import { z } from 'zod';

/**
 * Request shapes of the Step Functions actions the endpoint implements, as the JSON 1.0 protocol
 * carries them (member names as in the API reference). Unknown members are ignored, as by AWS.
 * Length limits are the service's documented constraints.
 */

const Arn = z.string().min(1).max(256);
const Name = z.string().min(1).max(80);
const Definition = z.string().min(1).max(1_048_576);
const ExecutionInput = z.string().max(262_144);
const StateMachineType = z.enum(['STANDARD', 'EXPRESS']);
const LoggingConfiguration = z.looseObject({
  level: z.enum(['ALL', 'ERROR', 'FATAL', 'OFF']).optional(),
  includeExecutionData: z.boolean().optional(),
});
const TracingConfiguration = z.object({ enabled: z.boolean().optional() });
const RoutingConfiguration = z
  .array(z.object({ stateMachineVersionArn: Arn, weight: z.number().int().min(0).max(100) }))
  .min(1)
  .max(2);

export const CreateStateMachineInput = z.object({
  name: Name,
  definition: Definition,
  roleArn: Arn,
  type: StateMachineType.optional(),
  loggingConfiguration: LoggingConfiguration.optional(),
  tracingConfiguration: TracingConfiguration.optional(),
  publish: z.boolean().optional(),
  versionDescription: z.string().max(256).optional(),
});
export type CreateStateMachineInput = z.infer<typeof CreateStateMachineInput>;

export const DescribeStateMachineInput = z.object({ stateMachineArn: Arn });
export type DescribeStateMachineInput = z.infer<typeof DescribeStateMachineInput>;

export const UpdateStateMachineInput = z.object({
  stateMachineArn: Arn,
  definition: Definition.optional(),
  roleArn: Arn.optional(),
  loggingConfiguration: LoggingConfiguration.optional(),
  tracingConfiguration: TracingConfiguration.optional(),
  publish: z.boolean().optional(),
  versionDescription: z.string().max(256).optional(),
});
export type UpdateStateMachineInput = z.infer<typeof UpdateStateMachineInput>;

export const PublishStateMachineVersionInput = z.object({
  stateMachineArn: Arn,
  revisionId: z.string().optional(),
  description: z.string().max(256).optional(),
});
export type PublishStateMachineVersionInput = z.infer<typeof PublishStateMachineVersionInput>;

export const ListStateMachineVersionsInput = z.object({
  stateMachineArn: Arn,
  nextToken: z.string().optional(),
  maxResults: z.number().int().min(0).max(1000).optional(),
});
export type ListStateMachineVersionsInput = z.infer<typeof ListStateMachineVersionsInput>;

export const CreateStateMachineAliasInput = z.object({
  name: Name,
  description: z.string().max(256).optional(),
  routingConfiguration: RoutingConfiguration,
});
export type CreateStateMachineAliasInput = z.infer<typeof CreateStateMachineAliasInput>;

export const UpdateStateMachineAliasInput = z.object({
  stateMachineAliasArn: Arn,
  description: z.string().max(256).optional(),
  routingConfiguration: RoutingConfiguration.optional(),
});
export type UpdateStateMachineAliasInput = z.infer<typeof UpdateStateMachineAliasInput>;

export const DescribeStateMachineAliasInput = z.object({ stateMachineAliasArn: Arn });
export type DescribeStateMachineAliasInput = z.infer<typeof DescribeStateMachineAliasInput>;

export const StartExecutionInput = z.object({
  stateMachineArn: Arn,
  name: Name.optional(),
  input: ExecutionInput.optional(),
  traceHeader: z.string().max(256).optional(),
});
export type StartExecutionInput = z.infer<typeof StartExecutionInput>;

export const DescribeExecutionInput = z.object({ executionArn: Arn });
export type DescribeExecutionInput = z.infer<typeof DescribeExecutionInput>;

export type RoutingConfiguration = z.infer<typeof RoutingConfiguration>;
export type StateMachineType = z.infer<typeof StateMachineType>;
export type LoggingConfiguration = z.infer<typeof LoggingConfiguration>;
