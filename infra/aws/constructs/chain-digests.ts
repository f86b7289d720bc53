import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DIGEST_RETENTION_DAYS } from '../../../shared/audit/s3-digest-store.ts';
import { acknowledge } from '../nag.ts';

export interface ChainDigestsProps {
  /** Prefix of every physical name. */
  readonly tenant: string;
  /** Days each digest stays under COMPLIANCE Object Lock. Default: `DIGEST_RETENTION_DAYS` (7 years). */
  readonly retentionDays?: number;
}

/**
 * The anchor of the event log (docs/audit.md, Digests): a KMS asymmetric key that signs chain digests
 * (`ECC_NIST_P256`, `SIGN_VERIFY`; its private half never leaves KMS) and an S3 bucket the digests are
 * written to once, under Object Lock in COMPLIANCE mode: until the retention ends no one, the account
 * root included, can delete or overwrite a digest, so whoever can write the events table cannot make
 * the digests agree with a rewritten log. Both are retained when the stack goes.
 */
export class ChainDigests extends Construct {
  readonly bucket: Bucket;
  readonly signingKey: Key;

  constructor(
    scope: Construct,
    id: string,
    { tenant, retentionDays = DIGEST_RETENTION_DAYS }: ChainDigestsProps,
  ) {
    super(scope, id);
    this.signingKey = new Key(this, 'SigningKey', {
      alias: `alias/${tenant}-chain-digests`,
      description: `${tenant}: signs the event log's chain digests (verify with its public key)`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.bucket = new Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(retentionDays)),
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'The digest bucket is written once per object by the runtime and is under compliance-mode Object Lock; CloudTrail data events, not server access logs, are the record of who read it.',
    );
  }

  /** The runtime: sign digests, put each once (with its retention), read the previous one. No delete. */
  grantWrite(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SignChainDigests',
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PutChainDigestsOnce',
        // PutObjectRetention: a put that sets its own COMPLIANCE retention needs it; compliance mode
        // only lets a retention grow, never shrink or go.
        actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'],
        resources: [this.bucket.arnForObjects('digests/*'), this.bucket.arnForObjects('keys/*')],
      }),
    );
    this.grantList(grantee);
  }

  /** A verifier: read the digests and the public key. */
  grantRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadChainDigests',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('digests/*'), this.bucket.arnForObjects('keys/*')],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ChainDigestPublicKey',
        actions: ['kms:GetPublicKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
    this.grantList(grantee);
  }

  private grantList(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListChainDigests',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
  }
}
