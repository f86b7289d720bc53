import { createRequire } from 'node:module';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../aops/retail/tenant.ts';
import { compileProject } from '../../shared/aop/index.ts';
import { validateAsl } from '../../shared/asl/validator.ts';
import { retailSources } from '../aop/support.ts';

/**
 * shared/asl/validator.ts is asl-validator with its JSON schema compiled once: the compiler must not
 * build a schema validator per procedure (that was 170–400 ms of every compile), and the findings must
 * be the library's own, on valid and on broken definitions.
 */

// Count the Ajv instances built, wherever they are built: asl-validator's `new ajv.default(…)` reads
// the class from the module at call time, and so does shared/asl/validator.ts.
const fromLibrary = createRequire(createRequire(import.meta.url).resolve('asl-validator'));
const ajvModule = fromLibrary('ajv') as { default: new (...args: never[]) => object };
const RealAjv = ajvModule.default;
let ajvBuilt = 0;
ajvModule.default = class CountedAjv extends (RealAjv as new (...args: unknown[]) => object) {
  constructor(...args: unknown[]) {
    super(...args);
    ajvBuilt++;
  }
};

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Fn';

/** Definitions asl-validator rejects, one reason each, and a few it accepts. */
const DEFINITIONS: Record<string, unknown> = {
  minimal: { StartAt: 'A', States: { A: { Type: 'Succeed' } } },
  'task with retry and catch': {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: ARN,
        ResultPath: '$',
        Retry: [{ ErrorEquals: ['ModelUnavailable'], MaxAttempts: 2 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F', ResultPath: '$.error' }],
        Next: 'S',
      },
      S: { Type: 'Succeed' },
      F: { Type: 'Fail', Error: 'X', Cause: 'y' },
    },
  },
  'jsonata machine': {
    QueryLanguage: 'JSONata',
    StartAt: 'P',
    States: { P: { Type: 'Pass', Output: '{% $states.input.a %}', End: true } },
  },
  'Next to a missing state': { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } },
  'StartAt a missing state': { StartAt: 'Z', States: { A: { Type: 'Succeed' } } },
  'unreachable state': { StartAt: 'A', States: { A: { Type: 'Succeed' }, B: { Type: 'Succeed' } } },
  'Choice without Choices': {
    StartAt: 'C',
    States: { C: { Type: 'Choice', Default: 'S' }, S: { Type: 'Succeed' } },
  },
  'invalid JSONPath': { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$..[', End: true } } },
  'Resource that is not an ARN': {
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'not-an-arn', End: true } },
  },
  'both End and Next': {
    StartAt: 'P',
    States: { P: { Type: 'Pass', End: true, Next: 'S' }, S: { Type: 'Succeed' } },
  },
  'TimeoutSeconds and TimeoutSecondsPath': {
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: ARN, TimeoutSeconds: 3, TimeoutSecondsPath: '$.t', End: true } },
  },
  'Fail with Cause and CausePath': {
    StartAt: 'F',
    States: { F: { Type: 'Fail', Cause: 'a', CausePath: '$.b' } },
  },
  'duplicate state names across branches': {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel',
        End: true,
        Branches: [
          { StartAt: 'X', States: { X: { Type: 'Succeed' } } },
          { StartAt: 'X', States: { X: { Type: 'Succeed' } } },
        ],
      },
    },
  },
  'no terminal state': {
    StartAt: 'A',
    States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } },
  },
  'invalid JSONata': {
    QueryLanguage: 'JSONata',
    StartAt: 'P',
    States: { P: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } },
  },
};

describe('validateAsl', () => {
  it('builds one JSON-schema validator, however many procedures are compiled', () => {
    // The counter sees what asl-validator builds: one Ajv per call of its default export.
    const before = ajvBuilt;
    aslValidator(structuredClone(DEFINITIONS.minimal));
    expect(ajvBuilt).toBe(before + 1);

    ajvBuilt = 0;
    const first = compileProject(retailSources(), { catalogue });
    const second = compileProject(retailSources(), { catalogue });
    const compiled = [...first, ...second].filter((result) => result.asl !== null);
    expect(compiled.length).toBeGreaterThanOrEqual(2 * 10);
    // At most the one this process had not built yet; asl-validator itself would have built one each.
    expect(ajvBuilt).toBeLessThanOrEqual(1);
    // And it still rejects what it must, in the same process.
    expect(validateAsl(DEFINITIONS['Next to a missing state']).isValid).toBe(false);
    expect(ajvBuilt).toBeLessThanOrEqual(1);
  });

  it.each(Object.keys(DEFINITIONS))('reports what asl-validator reports: %s', (name) => {
    const definition = DEFINITIONS[name];
    const expected = aslValidator(structuredClone(definition));
    const actual = validateAsl(definition);
    expect({ isValid: actual.isValid, errors: actual.errors }).toEqual({
      isValid: expected.isValid,
      errors: expected.errors,
    });
  });

  it('reports what asl-validator reports on compiled retail procedures, and they pass', () => {
    // Three shapes (a sub-procedure, a write with its confirmation, the largest machine): asl-validator
    // itself takes a few hundred ms a call, and every procedure is lowered by the same code.
    const compiled = compileProject(retailSources(), { catalogue });
    for (const id of ['authenticate-customer', 'cancel-pending-order', 'exchange-delivered-items']) {
      const asl = compiled.find((result) => result.id === id)?.asl;
      expect(asl, id).toBeTruthy();
      const definition = JSON.parse(JSON.stringify(asl).replace(/\$\{([A-Za-z]+)FunctionArn\}/g, ARN));
      const actual = validateAsl(definition);
      expect(actual.errors, id).toEqual(aslValidator(structuredClone(definition)).errors);
      expect(actual.isValid, id).toBe(true);
    }
  });

  it('honours checkPaths and checkArn as asl-validator does', () => {
    const definition = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'not-an-arn', InputPath: '$..[', End: true } },
    };
    for (const options of [
      { checkPaths: false, checkArn: true },
      { checkPaths: true, checkArn: false },
      { checkPaths: false, checkArn: false },
    ])
      expect(validateAsl(definition, options).errors, JSON.stringify(options)).toEqual(
        aslValidator(structuredClone(definition), options).errors,
      );
  });

  it('leaves the definition it was given unchanged', () => {
    const definition = structuredClone(DEFINITIONS['task with retry and catch']);
    validateAsl(definition);
    expect(definition).toEqual(DEFINITIONS['task with retry and catch']);
  });
});
