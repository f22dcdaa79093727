import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { policyDocument, stackScopedName, statefulOptions } from "./common";
import { ArgChecker } from "./internal/args";
import { lockBucketAccess, enableBucketVersioning, bucketTlsStatements } from "./internal/s3";

/** The service principal that delivers S3 server access logs. */
export const S3_ACCESS_LOG_SERVICE = "logging.s3.amazonaws.com";

export interface AccessLogBucketArgs {
    /**
     * The buckets whose server access logs land here (their ARNs): the log delivery grant holds only
     * for requests on their behalf (`aws:SourceArn`). Outputs are accepted; a source bucket that
     * itself names this bucket as its target passes its ARN through `pulumi.deferredOutput()`.
     */
    sourceBucketArns: pulumi.Input<string>[];
    /**
     * Delete a log object this many days after delivery.
     * @default 90
     */
    expirationDays?: number;
    /**
     * Let `pulumi destroy` delete the bucket with every log in it. Only for stacks whose logs are
     * disposable (dev).
     * @default false
     */
    forceDestroy?: boolean;
    /**
     * Protect the bucket (`protect` and `retainOnDelete`). Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of an {@link AccessLogBucket}. An interface, so that the component package's schema can carry it. */
export interface AccessLogBucketNodes {
    bucket: s3.Bucket;
    ownership: s3.BucketOwnershipControls;
    publicAccessBlock: s3.BucketPublicAccessBlock;
    versioning: s3.BucketVersioning;
    encryption: s3.BucketServerSideEncryptionConfiguration;
    lifecycle: s3.BucketLifecycleConfiguration;
    policy: s3.BucketPolicy;
}

/**
 * The target bucket of S3 server access logging (Security Hub S3.9) for the stack's buckets: all
 * public access blocked, ACLs off (BucketOwnerEnforced, so the grant is a bucket policy, as AWS
 * requires then), versioning, a lifecycle that expires logs, a TLS-only policy whose one grant lets
 * `logging.s3.amazonaws.com` put objects on behalf of the named source buckets of this account.
 *
 * Encrypted with SSE-S3, not KMS: a server access logging target bucket may use default encryption
 * only with SSE-S3; SSE-KMS default encryption is not supported (S3 User Guide, "Enabling Amazon S3
 * server access logging" and "Troubleshoot server access logging"). The pack's `enc-s3-sse`
 * accepts SSE-S3 for a bucket whose policy grants only that write to the log delivery service.
 *
 * ```ts
 * const [uploadsArn, setUploadsArn] = pulumi.deferredOutput<string>();
 * const accessLogs = new AccessLogBucket("access-logs", { sourceBucketArns: [uploadsArn], protect: true });
 * const uploads = new Bucket("uploads", { accessLogBucketName: accessLogs.bucketName, accessLogPrefix: "uploads/" });
 * setUploadsArn(uploads.arn);
 * ```
 *
 * **Cost**: log delivery is free; storage $0.023/GB-month until expiry + PUT requests of the logs.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    /** The bucket's name, once its policy grants S3 log delivery: name it as `targetBucket`. */
    readonly bucketName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: AccessLogBucketNodes;

    private readonly name: string;

    constructor(name: string, args: AccessLogBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:AccessLogBucket", name, {}, opts);
        this.name = name;
        const cfg = normalizeAccessLogBucketArgs(name, args);

        const bucket = new s3.Bucket(
            name,
            {
                // AWS appends a unique suffix: bucket names are global across all accounts.
                bucketPrefix: `${stackScopedName(name, 36)}-`,
                forceDestroy: cfg.forceDestroy,
                tags: { "data-classification": "logs" },
            },
            statefulOptions(this, cfg.protect),
        );
        const { ownership, publicAccessBlock } = lockBucketAccess(name, bucket, this);
        const versioning = enableBucketVersioning(name, bucket, this);
        const encryption = new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            { parent: this },
        );
        const everything = { prefix: "" };
        const lifecycle = new s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-access-logs",
                        status: "Enabled",
                        filter: everything,
                        expiration: { days: cfg.expirationDays },
                        // Logs are never overwritten; a deleted one's version goes the day after.
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                    },
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: everything,
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );
        const policy = this.createPolicy(bucket, publicAccessBlock, cfg.sourceBucketArns);

        // Handed out once the grant exists: a BucketLogging that names this bucket then waits for
        // the policy, so S3 never delivers into a bucket that refuses it (logs would be dropped).
        this.bucketName = pulumi.all([bucket.bucket, policy.id]).apply(([bucketName]) => bucketName);
        this.arn = bucket.arn;
        this.nodes = { bucket, ownership, publicAccessBlock, versioning, encryption, lifecycle, policy };
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }

    /**
     * TLS only; and the grant AWS documents for log delivery to a bucket with ACLs disabled
     * (S3 User Guide, "Enabling Amazon S3 server access logging", bucket policy):
     * `logging.s3.amazonaws.com` may `s3:PutObject`, for the source buckets (`aws:SourceArn`) of
     * this account (`aws:SourceAccount`).
     */
    private createPolicy(
        bucket: s3.Bucket,
        publicAccessBlock: s3.BucketPublicAccessBlock,
        sourceBucketArns: pulumi.Input<string>[],
    ): s3.BucketPolicy {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const resources = [bucket.arn, pulumi.interpolate`${bucket.arn}/*`];
        return new s3.BucketPolicy(
            `${this.name}-policy`,
            {
                bucket: bucket.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        ...bucketTlsStatements(resources),
                        {
                            Sid: "S3ServerAccessLogsPolicy",
                            Effect: "Allow",
                            Principal: { Service: S3_ACCESS_LOG_SERVICE },
                            Action: "s3:PutObject",
                            Resource: pulumi.interpolate`${bucket.arn}/*`,
                            Condition: {
                                ArnLike: { "aws:SourceArn": sourceBucketArns },
                                StringEquals: { "aws:SourceAccount": account },
                            },
                        },
                    ],
                }),
            },
            // S3 refuses concurrent changes to a bucket's policy and its public access block.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
    }
}

interface NormalizedAccessLogBucketArgs {
    sourceBucketArns: pulumi.Input<string>[];
    expirationDays: number;
    forceDestroy: boolean;
    protect: boolean;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeAccessLogBucketArgs(name: string, args: AccessLogBucketArgs): NormalizedAccessLogBucketArgs {
    const check = new ArgChecker("AccessLogBucket", name, args);
    if (args.sourceBucketArns.length === 0) {
        check.fail("sourceBucketArns", "is empty; name the buckets whose access logs land here");
    }
    return {
        sourceBucketArns: args.sourceBucketArns,
        expirationDays: check.int("expirationDays", 90, 1, 3650),
        forceDestroy: args.forceDestroy ?? false,
        protect: args.protect ?? false,
    };
}
