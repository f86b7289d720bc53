import { startPlatform } from './platform.ts';

// Lambda runs Node 22; on a Node 20 workstation the SDK would print a support notice on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
const started = Date.now();
const platform = await startPlatform({ port, log: (line) => process.stdout.write(`  ${line}\n`) });
process.stdout.write(`
AOP platform (tenant "${platform.tenant}", retail procedures) ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${platform.url}

  curl -s -X POST ${platform.url}/v1/chat/conversations -H 'content-type: application/json' \\
       -d '{"message": "I want to cancel order #W6619432"}'

  or talk to it from a terminal:  npx aop chat --url ${platform.url}

Press Ctrl+C to stop.
`);
const shutdown = async () => {
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
