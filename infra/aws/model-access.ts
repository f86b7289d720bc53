import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from './nag.ts';

/** Geography prefixes of cross-region inference profile ids (`us.anthropic.claude-…`). */
const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|jp|au|ca|global)\.(.+)$/;

export interface ModelResources {
  /** ARNs the policy names. */
  readonly resources: string[];
  /** The foundation model in any region, when the model id is a cross-region inference profile. */
  readonly anyRegionModel: string | undefined;
}

/**
 * The ARNs `bedrock:InvokeModel` must name for one model id. A plain model id is one foundation-model ARN
 * in the stack's region. An inference profile needs the profile ARN and the foundation model in every region
 * the profile may route to (Bedrock picks the region per request), hence a region wildcard on that model only.
 */
export function modelResources(scope: Construct, modelId: string): ModelResources {
  const stack = Stack.of(scope);
  const profile = INFERENCE_PROFILE_PREFIX.exec(modelId);
  if (!profile) {
    return {
      resources: [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${modelId}`],
      anyRegionModel: undefined,
    };
  }
  const anyRegionModel = `arn:${stack.partition}:bedrock:*::foundation-model/${profile[2]}`;
  return {
    resources: [
      `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${modelId}`,
      anyRegionModel,
    ],
    anyRegionModel,
  };
}

/**
 * Lets one function call the tenant's model and no other. Converse is authorized by `bedrock:InvokeModel`
 * (there is no separate Converse action); nothing streams, so `InvokeModelWithResponseStream` is not granted.
 */
export function grantModel(fn: LambdaFunction, modelId: string): ModelResources {
  const model = modelResources(fn, modelId);
  fn.addToRolePolicy(
    new PolicyStatement({
      sid: 'InvokeConfiguredModel',
      actions: ['bedrock:InvokeModel'],
      resources: model.resources,
    }),
  );
  if (model.anyRegionModel && fn.role) {
    acknowledge(
      fn.role,
      wildcardResourceFinding(fn, model.anyRegionModel),
      'A cross-region inference profile sends each request to a region Bedrock chooses, so its foundation model must be allowed in every region; the model itself is the one configured for the tenant.',
    );
  }
  return model;
}
