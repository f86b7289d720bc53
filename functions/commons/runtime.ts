import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createToolRuntime, handoffMessage, keepFacts } from '../../aops/retail/tenant.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';
import { createConversationService } from '../../shared/engine/conversation.ts';
import { createConversationLock } from '../../shared/engine/lock.ts';
import type { StepDependencies } from '../../shared/engine/steps.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { createModelClient } from '../../shared/model/client.ts';
import type { Env } from './env.ts';

/**
 * The composition root shared by the handlers: SDK clients built once per container. The tenant's
 * integration module (retail) is bundled in; a tenant with other tools ships its own module.
 */
export function createRuntime(env: Env) {
  const dynamodb = new DynamoDBClient({});
  const events = createEventStore({ client: dynamodb, tableName: env.EVENTS_TABLE });
  const model = createModelClient({ client: new BedrockRuntimeClient({}), modelId: env.MODEL_ID });
  const tools = createToolRuntime({ client: dynamodb, tablePrefix: env.DATA_TABLE_PREFIX });
  const steps: StepDependencies = { events, model, tools, handoffMessage };
  const sfn = createSfnClient(env.AWS_ENDPOINT_URL_SFN ? { endpoint: env.AWS_ENDPOINT_URL_SFN } : {});
  const routes = env.AOP_ROUTES.flatMap((route) => {
    const stateMachineArn = env.STATE_MACHINES[route.id];
    return stateMachineArn ? [{ ...route, stateMachineArn }] : [];
  });
  const conversations = createConversationService({
    tenant: env.TENANT,
    events,
    sfn,
    model,
    lock: createConversationLock({ client: dynamodb, tableName: env.EVENTS_TABLE }),
    aops: () => routes,
    fallbackAop: env.FALLBACK_AOP,
    keepFacts,
  });
  return { dynamodb, events, steps, conversations, env };
}
