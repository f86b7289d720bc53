import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** cdk-nag 3 records acknowledgements as construct metadata under this key (`Annotation::<rule id>` → reason). */
const ACKNOWLEDGED = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;

export interface Acknowledgement {
  /** The construct path the acknowledgement is attached to. */
  readonly path: string;
  /** Rule id, with the finding for granular rules: `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges one cdk-nag finding on one construct. Findings are acknowledged one by one, each with a reason
 * that says why the rule does not apply here (cdk-nag 3 has no prefix or bulk acknowledgement).
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Registers the AwsSolutions pack: synthesis fails on any finding that is not acknowledged. */
export function addNagChecks(scope: IConstruct): void {
  Validations.of(scope).addPlugins(new AwsSolutionsChecks(scope));
}

/** Every acknowledgement in the tree under `scope`, for review and for the tests. */
export function listAcknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === ACKNOWLEDGED && entry.data)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([key, reason]) => ({
          path: construct.node.path,
          id: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * The id of the AwsSolutions-IAM5 finding for one wildcard resource, rendered the way cdk-nag renders it
 * (`Ref` → `<LogicalId>`, `Fn::GetAtt` → `<LogicalId.Attr>`, joins flattened). Computed from the resource
 * itself, so an acknowledgement never hard-codes a hashed logical id.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (value['Fn::Sub'] !== undefined) return flattenReference(value['Fn::Sub']);
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (value['Fn::ImportValue'] !== undefined) return flattenReference(value['Fn::ImportValue']);
    if (value.Ref !== undefined) return `<${flattenReference(value.Ref)}>`;
  }
  return JSON.stringify(node);
}
