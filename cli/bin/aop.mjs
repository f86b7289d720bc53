#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx aop` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../main.ts');
