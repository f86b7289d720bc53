import { App } from 'aws-cdk-lib';
import { isProcedureCompileError, isTenantConfigError } from './errors.ts';
import { addNagChecks } from './nag.ts';
import { addTenantStack } from './tenant-app.ts';

/**
 * The CDK app: one tenant's stack per run, `cdk synth|deploy|destroy -c tenant=NAME`. The AwsSolutions
 * checks run at synthesis; any unacknowledged finding fails it.
 */
const app = new App();
try {
  await addTenantStack(app, { tenant: app.node.tryGetContext('tenant') as string | undefined });
} catch (error) {
  if (isTenantConfigError(error) || isProcedureCompileError(error)) {
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
  throw error;
}
addNagChecks(app);
app.synth();
