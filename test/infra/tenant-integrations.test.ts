import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantApp } from '../../infra/aws/tenant-app.ts';
import { REPO_ROOT } from '../../infra/aws/tenant-config.ts';

/**
 * A tenant's integrations in its stack (docs/tenants.md, Integrations): the subscription business calls a
 * payment provider and a helpdesk. The tool runner gets the deployment's `environment` (their URLs) and
 * read access to exactly the tenant's declared secrets, `<deployment>/<name>`; the hand-off step gets the
 * audit timeline's URL for tickets. A deployment that leaves a service's URL out fails at synth.
 */

let template: Template;
let functions: Record<string, { Properties: { Environment?: { Variables?: Record<string, unknown> } } }>;
const envOf = (name: string) =>
  Object.values(functions).find((fn) =>
    JSON.stringify(fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME ?? '').includes(name),
  )?.Properties.Environment?.Variables ?? {};

beforeAll(async () => {
  const { stack } = await createTenantApp({ tenant: 'subscriptions' });
  template = Template.fromStack(stack);
  functions = template.findResources('AWS::Lambda::Function') as typeof functions;
}, 300_000);

describe('the subscriptions stack', () => {
  it("gives the tool runner the deployment's API URLs and the secrets' prefix, and no other handler", () => {
    expect(envOf('run-tool')).toMatchObject({
      PAYMENTS_API_URL: 'https://payments.tidewave.example',
      HELPDESK_URL: 'https://tidewave.zendesk.com',
      AOP_SECRETS_PREFIX: 'subscriptions/',
    });
    expect(envOf('chat-ingress')).not.toHaveProperty('PAYMENTS_API_URL');
    expect(JSON.stringify(envOf('handoff').AUDIT_TIMELINE_URL)).toContain(
      'v1/conversations/{conversationId}/events',
    );
  });

  it('grants GetSecretValue on exactly the declared secrets', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy as {
            Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const secretReads = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue'),
    );
    const resources = JSON.stringify(secretReads.map((statement) => statement.Resource));
    expect(resources).toContain('secret:subscriptions/payments-api-key-??????');
    expect(resources).toContain('secret:subscriptions/helpdesk-api-??????');
    expect(resources).not.toMatch(/secret:subscriptions\/\*/);
  });
});

describe('a deployment without a service URL', () => {
  // A copy under aops/ (its imports are relative to the repository), in the infra project, which runs
  // after every other project: commands that serve every tenant folder would otherwise see it.
  const name = `nohelp${randomBytes(3).toString('hex')}`;
  const folder = join(REPO_ROOT, 'aops', name);
  beforeAll(() => {
    cpSync(join(REPO_ROOT, 'aops', 'subscriptions'), folder, { recursive: true });
    const deploy = JSON.parse(readFileSync(join(folder, 'deploy.json'), 'utf8')) as {
      environment: Record<string, string>;
    };
    delete deploy.environment.HELPDESK_URL;
    writeFileSync(join(folder, 'deploy.json'), JSON.stringify(deploy));
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(join(REPO_ROOT, '.cache', 'lambda-entries', name), { recursive: true, force: true });
  });

  it('fails at synth, naming the variable and the file', async () => {
    await expect(createTenantApp({ tenant: name })).rejects.toThrow(
      /the service "helpdesk" is a local stand-in; set environment\.HELPDESK_URL .*\(deploy\.json/,
    );
  }, 120_000);
});
