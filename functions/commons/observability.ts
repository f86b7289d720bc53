import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/**
 * Powertools for every handler: structured logs with the Lambda context, EMF metrics. X-Ray is the
 * functions' and state machines' active tracing; Powertools Tracer (SDK subsegments) is left out
 * because it brings the X-Ray SDK and pushes every bundle over the 1 MB budget. Locally the platform
 * turns metrics off and logs at WARN (infra/local/platform.ts), through Powertools' own variables.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'aop-platform';
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AopPlatform',
});
export { MetricUnit };

/** Wraps a handler: context in logs, errors logged with their cause, metrics flushed when it emits any. */
export function instrument<E, R>(
  name: string,
  handle: (event: E) => Promise<R>,
  options: { metrics?: boolean } = {},
) {
  return async function instrumented(event: E, context?: Context): Promise<R> {
    if (context) logger.addContext(context);
    logger.appendKeys({ handler: name });
    try {
      return await handle(event);
    } catch (error) {
      logger.error(`${name} failed`, error as Error);
      throw error;
    } finally {
      if (options.metrics) metrics.publishStoredMetrics();
    }
  };
}
