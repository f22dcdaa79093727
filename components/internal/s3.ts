import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { denyInsecureTransport } from "../common";

/**
 * What every Groundwork bucket has, whatever it stores (data, CloudTrail logs, access logs): ACLs
 * off and all four public-access blocks, versioning where asked, and a policy that refuses plain
 * HTTP and TLS below 1.2. One place, so the buckets cannot drift apart. Child names are derived
 * from `base` (`<base>-ownership`, `<base>-public-access`, `<base>-versioning`), the names these
 * resources always had, so moving them here replaced nothing in existing stacks.
 */

/** Object ownership enforced (ACLs disabled; AWS's default for new buckets) and every public-access block. */
export function lockBucketAccess(
    base: string,
    bucket: s3.Bucket,
    parent: pulumi.Resource,
): { ownership: s3.BucketOwnershipControls; publicAccessBlock: s3.BucketPublicAccessBlock } {
    const ownership = new s3.BucketOwnershipControls(
        `${base}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { parent },
    );
    const publicAccessBlock = new s3.BucketPublicAccessBlock(
        `${base}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        { parent },
    );
    return { ownership, publicAccessBlock };
}

/** Versioning on: an overwritten or deleted object stays recoverable until the lifecycle expires it. */
export function enableBucketVersioning(base: string, bucket: s3.Bucket, parent: pulumi.Resource): s3.BucketVersioning {
    return new s3.BucketVersioning(
        `${base}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        { parent },
    );
}

/**
 * The two deny statements every bucket policy starts with: no request without TLS, none with TLS
 * older than 1.2 (`s3:TlsVersion`). `resources` are the bucket's ARN and its objects' (`<arn>/*`).
 */
export function bucketTlsStatements(resources: pulumi.Input<string>[]): Record<string, unknown>[] {
    return [
        denyInsecureTransport("s3:*", resources),
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    ];
}

/**
 * S3 server access logging (Security Hub S3.9) of `bucket` into `targetBucket` under `prefix`
 * (`<base>/` by default, so the stack's buckets share one target). The target is an
 * `AccessLogBucket` (SSE-S3: AWS refuses SSE-KMS there), whose policy must name this bucket.
 */
export function logBucketAccess(
    base: string,
    bucket: s3.Bucket,
    targetBucket: pulumi.Input<string>,
    parent: pulumi.Resource,
    prefix = `${base}/`,
): s3.BucketLogging {
    return new s3.BucketLogging(
        `${base}-logging`,
        { bucket: bucket.id, targetBucket, targetPrefix: prefix },
        { parent },
    );
}
