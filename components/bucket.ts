import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "@pulumi/aws/iam/documents";
import * as s3 from "@pulumi/aws/s3";
import { ComponentArgError, policyDocument, requireInt, stackScopedName, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { lockBucketAccess, enableBucketVersioning, bucketTlsStatements, logBucketAccess } from "./internal/s3";

/** The tag that classifies a bucket's data; the policy pack expects versioning and lifecycle on tagged buckets. */
export const DATA_CLASSIFICATION_TAG = "data-classification";

/** S3 moves objects to Standard-IA only once they are 30 days old. */
export const MIN_IA_TRANSITION_DAYS = 30;

/** Methods a CORS rule may allow. */
export const CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"] as const;

/** An origin as browsers send it: scheme, host, optional port, no path (`*` at most as the first host label). */
export const CORS_ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/;

export interface BucketArgs {
    /**
     * Move current objects to Standard-IA this many days after upload (30 or more; 0 keeps them
     * in Standard). IA storage is ≈ 45 % cheaper but charges $0.01/GB per retrieval and at least
     * 30 days and 128 KB per object: right for uploads that are rarely read again, wrong for hot assets.
     * @default 30
     */
    transitionToIaDays?: number;
    /**
     * Delete a version this many days after it was overwritten or deleted (versioning keeps them
     * to undo mistakes; this bounds what that costs).
     * @default 90
     */
    noncurrentVersionExpirationDays?: number;
    /**
     * Delete the parts of multipart uploads not completed within this many days (they are
     * invisible but billed).
     * @default 7
     */
    abortIncompleteMultipartUploadDays?: number;
    /**
     * Origins allowed to call the bucket from a browser (the frontend's, e.g.
     * `https://app.example.com`), for presigned-URL uploads and downloads. No CORS rule when empty.
     * Outputs are accepted (a CDN's domain not known until it exists) and checked only once plain:
     * the count of origins, which decides whether the rule exists, must be known here.
     * @default []
     */
    corsOrigins?: pulumi.Input<string>[];
    /**
     * Methods those origins may use.
     * @default ["GET", "PUT", "HEAD"]
     */
    corsMethods?: string[];
    /**
     * Value of the `data-classification` tag (e.g. `confidential` for user uploads, `public` for
     * assets served through the CDN).
     * @default "internal"
     */
    dataClassification?: string;
    /**
     * AWS services that must read objects through the bucket's KMS key, e.g.
     * `cloudfront.amazonaws.com` for a bucket served by CloudFront with origin access control.
     * Each grant is limited to this account (`aws:SourceAccount`) until `kmsServiceSourceArns`
     * narrows it to named resources: a bucket that will sit behind a CDN not yet declared is
     * readable through the key by CloudFront distributions of this account only, and by none of
     * them without a bucket-policy grant (`policyStatements`).
     * @default []
     */
    kmsServicePrincipals?: string[];
    /**
     * Narrows a `kmsServicePrincipals` grant to named resources (`AWS:SourceArn`), keyed by
     * service principal: `{ "cloudfront.amazonaws.com": [distribution.arn] }` is the key policy AWS
     * documents for an SSE-KMS origin behind origin access control.
     * @default {} (account-wide, see `kmsServicePrincipals`)
     */
    kmsServiceSourceArns?: Record<string, pulumi.Input<string>[]>;
    /**
     * More statements for the bucket policy, merged after the TLS-only denials into the bucket's
     * one `BucketPolicy` (S3 keeps a single policy per bucket, so a second `BucketPolicy` would
     * overwrite this one). This is where a CDN adds its origin access control grant: allow
     * `cloudfront.amazonaws.com` `s3:GetObject` on `${arn}/*` with `StringEquals` on
     * `AWS:SourceArn` = the distribution's ARN. A statement without `Resource` applies to the
     * bucket's objects (`<arn>/*`), since the caller cannot name this bucket's ARN in its own args.
     * Values may be Outputs; a distribution whose origin is this bucket passes its ARN through
     * `pulumi.deferredOutput()` (see the class example). Typed as JSON objects (an IAM
     * `PolicyStatement` fits): AWS's type has unions, which a component package's schema cannot carry.
     * @default []
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    policyStatements?: pulumi.Input<Record<string, any>>[];
    /**
     * The bucket that receives this bucket's S3 server access logs (Security Hub S3.9), e.g. an
     * `AccessLogBucket`'s `bucketName`: in the same account and region, encrypted with SSE-S3, its
     * policy granting `logging.s3.amazonaws.com` `s3:PutObject` for this bucket. No logging when unset.
     * @default undefined (no server access logging)
     */
    accessLogBucketName?: pulumi.Input<string>;
    /**
     * Key prefix of this bucket's logs in `accessLogBucketName`, so several buckets share one target.
     * @default "<name>/"
     */
    accessLogPrefix?: string;
    /**
     * Let `pulumi destroy` delete the bucket with every object and version in it. Only for stacks
     * whose data is disposable (dev).
     * @default false
     */
    forceDestroy?: boolean;
    /**
     * Protect the bucket and its KMS key (`protect` and `retainOnDelete`). Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Bucket}. An interface, so that the component package's schema can carry it. */
export interface BucketNodes {
    bucket: s3.Bucket;
    key: KmsKey;
    ownership: s3.BucketOwnershipControls;
    publicAccessBlock: s3.BucketPublicAccessBlock;
    versioning: s3.BucketVersioning;
    encryption: s3.BucketServerSideEncryptionConfiguration;
    lifecycle: s3.BucketLifecycleConfiguration;
    policy: s3.BucketPolicy;
    cors?: s3.BucketCorsConfiguration;
    /** Only with `accessLogBucketName`. */
    logging?: s3.BucketLogging;
}

/**
 * A private S3 bucket with every protection: SSE-KMS with its own customer-managed key and S3
 * bucket keys (one KMS request per bucket key instead of per object), all four public access
 * blocks, object ownership enforced (ACLs off), versioning, a lifecycle (Standard-IA after 30 days,
 * old versions and expired delete markers cleaned up, incomplete multipart uploads aborted), a
 * bucket policy that denies any request without TLS (or below TLS 1.2), optional CORS for
 * presigned-URL uploads from the frontend, a `data-classification` tag, and optionally S3 server
 * access logging to a log bucket (`accessLogBucketName`). The name is
 * `<project>-<stack>-<name>-` plus a unique suffix AWS-wide (bucket names are global).
 *
 * ```ts
 * const uploads = new Bucket("uploads", { corsOrigins: ["https://app.example.com"], dataClassification: "confidential", protect: true });
 * const assets = new Bucket("assets", { transitionToIaDays: 0, kmsServicePrincipals: ["cloudfront.amazonaws.com"] });
 *
 * // Behind a CDN with origin access control: the distribution needs the bucket and the bucket's
 * // grants need the distribution, so its ARN is passed deferred and resolved once it exists.
 * const [cdnArn, setCdnArn] = pulumi.deferredOutput<string>();
 * const origin = new Bucket("site", {
 *     kmsServicePrincipals: ["cloudfront.amazonaws.com"],
 *     kmsServiceSourceArns: { "cloudfront.amazonaws.com": [cdnArn] },
 *     policyStatements: [{ Sid: "CloudFrontReadsObjects", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" },
 *         Action: "s3:GetObject", Condition: { StringEquals: { "AWS:SourceArn": cdnArn } } }],
 * });
 * const cdn = new aws.cloudfront.Distribution("cdn", { origins: [{ domainName: origin.regionalDomainName, ... }], ... });
 * setCdnArn(cdn.arn);
 * ```
 *
 * **Cost**: storage ≈ $0.023/GB-month Standard, $0.0125 Standard-IA (+ $0.01/GB retrieved) +
 * requests (PUT $0.005/1,000, GET $0.0004/1,000) + KMS key $1/month (bucket keys keep KMS
 * requests near zero).
 */
export class Bucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** `<bucket>.s3.<region>.amazonaws.com`: the origin domain for CloudFront. */
    readonly regionalDomainName: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** The raw children, for advanced use. */
    readonly nodes: BucketNodes;

    private readonly name: string;

    constructor(name: string, args: BucketArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Bucket", name, {}, opts);
        this.name = name;
        const cfg = normalizeBucketArgs(name, args);

        const key = this.createKey(cfg);
        const bucket = this.createBucket(cfg);
        const { ownership, publicAccessBlock } = lockBucketAccess(name, bucket, this);
        const versioning = enableBucketVersioning(name, bucket, this);
        const encryption = this.createEncryption(bucket, key);
        const lifecycle = this.createLifecycle(bucket, versioning, cfg);
        const policy = this.createPolicy(bucket, publicAccessBlock, cfg.policyStatements);
        const cors = cfg.corsOrigins.length > 0 ? this.createCors(bucket, cfg) : undefined;
        const logging =
            cfg.accessLogBucketName !== undefined
                ? logBucketAccess(name, bucket, cfg.accessLogBucketName, this, cfg.accessLogPrefix)
                : undefined;

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.regionalDomainName = bucket.bucketRegionalDomainName;
        this.kmsKeyArn = key.key.arn;
        this.nodes = {
            bucket,
            key,
            ownership,
            publicAccessBlock,
            versioning,
            encryption,
            lifecycle,
            policy,
            cors,
            logging,
        };
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn, kmsKeyArn: this.kmsKeyArn });
    }

    private createKey(cfg: NormalizedBucketArgs): KmsKey {
        return createKmsKey(
            `${this.name}-key`,
            {
                description: `Encrypts the objects of bucket ${this.name}`,
                servicePrincipals: cfg.kmsServicePrincipals,
                serviceSourceArns: cfg.kmsServiceSourceArns,
                protect: cfg.protect,
            },
            this,
        );
    }

    private createBucket(cfg: NormalizedBucketArgs): s3.Bucket {
        return new s3.Bucket(
            this.name,
            {
                // AWS appends a unique suffix: bucket names are global across all accounts.
                bucketPrefix: `${stackScopedName(this.name, 36)}-`,
                forceDestroy: cfg.forceDestroy,
                tags: { [DATA_CLASSIFICATION_TAG]: cfg.dataClassification },
            },
            statefulOptions(this, cfg.protect),
        );
    }

    private createEncryption(bucket: s3.Bucket, key: KmsKey): s3.BucketServerSideEncryptionConfiguration {
        return new s3.BucketServerSideEncryptionConfiguration(
            `${this.name}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.key.arn },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            { parent: this },
        );
    }

    private createCors(bucket: s3.Bucket, cfg: NormalizedBucketArgs): s3.BucketCorsConfiguration {
        return new s3.BucketCorsConfiguration(
            `${this.name}-cors`,
            {
                bucket: bucket.id,
                corsRules: [
                    {
                        allowedOrigins: cfg.corsOrigins,
                        allowedMethods: cfg.corsMethods,
                        // Presigned PUTs carry Content-Type and x-amz-* headers; multipart
                        // uploads need the ETag of each part back.
                        allowedHeaders: ["*"],
                        exposeHeaders: ["ETag"],
                        maxAgeSeconds: 3000,
                    },
                ],
            },
            { parent: this },
        );
    }

    private createLifecycle(
        bucket: s3.Bucket,
        versioning: s3.BucketVersioning,
        cfg: NormalizedBucketArgs,
    ): s3.BucketLifecycleConfiguration {
        const everything = { prefix: "" };
        const rules: s3.BucketLifecycleConfigurationArgs["rules"] = [
            ...(cfg.transitionToIaDays > 0
                ? [
                      {
                          id: "current-to-standard-ia",
                          status: "Enabled",
                          filter: everything,
                          transitions: [{ days: cfg.transitionToIaDays, storageClass: "STANDARD_IA" }],
                      },
                  ]
                : []),
            {
                id: "expire-noncurrent-versions",
                status: "Enabled",
                filter: everything,
                noncurrentVersionExpiration: { noncurrentDays: cfg.noncurrentVersionExpirationDays },
                // A delete marker with no versions left behind it only slows listings down.
                expiration: { expiredObjectDeleteMarker: true },
            },
            {
                id: "abort-incomplete-multipart-uploads",
                status: "Enabled",
                filter: everything,
                abortIncompleteMultipartUpload: { daysAfterInitiation: cfg.abortIncompleteMultipartUploadDays },
            },
        ];
        // Noncurrent-version rules only take effect on a versioned bucket.
        return new s3.BucketLifecycleConfiguration(
            `${this.name}-lifecycle`,
            { bucket: bucket.id, rules },
            { parent: this, dependsOn: [versioning] },
        );
    }

    /**
     * Denies every request without TLS, or with TLS older than 1.2; then the caller's statements,
     * where one without `Resource` (or `NotResource`) applies to the bucket's objects.
     */
    private createPolicy(
        bucket: s3.Bucket,
        publicAccessBlock: s3.BucketPublicAccessBlock,
        extra: pulumi.Input<PolicyStatement>[],
    ): s3.BucketPolicy {
        const resources = [bucket.arn, pulumi.interpolate`${bucket.arn}/*`];
        const objects = pulumi.interpolate`${bucket.arn}/*`;
        const callers = extra.map((statement) =>
            pulumi
                .all([statement, objects])
                .apply(([st, objectsArn]) =>
                    st.Resource === undefined && st.NotResource === undefined ? { ...st, Resource: objectsArn } : st,
                ),
        );
        return new s3.BucketPolicy(
            `${this.name}-policy`,
            {
                bucket: bucket.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [...bucketTlsStatements(resources), ...callers],
                }),
            },
            // S3 refuses concurrent changes to a bucket's policy and its public access block.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
    }
}

interface NormalizedBucketArgs {
    transitionToIaDays: number;
    noncurrentVersionExpirationDays: number;
    abortIncompleteMultipartUploadDays: number;
    corsOrigins: pulumi.Input<string>[];
    corsMethods: string[];
    dataClassification: string;
    kmsServicePrincipals: string[];
    kmsServiceSourceArns: Record<string, pulumi.Input<string>[]>;
    policyStatements: pulumi.Input<PolicyStatement>[];
    accessLogBucketName?: pulumi.Input<string>;
    accessLogPrefix: string;
    forceDestroy: boolean;
    protect: boolean;
}

/** The Sids of the bucket policy's own statements; a caller's statement must not reuse them. */
const BUILT_IN_SIDS = ["DenyInsecureTransport", "DenyOutdatedTls"];

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeBucketArgs(name: string, args: BucketArgs): NormalizedBucketArgs {
    const fail = (arg: string, message: string): never => {
        throw new ComponentArgError("Bucket", name, arg, message);
    };
    const transitionToIaDays = args.transitionToIaDays ?? MIN_IA_TRANSITION_DAYS;
    if (
        !Number.isInteger(transitionToIaDays) ||
        (transitionToIaDays !== 0 && (transitionToIaDays < MIN_IA_TRANSITION_DAYS || transitionToIaDays > 3650))
    ) {
        fail(
            "transitionToIaDays",
            `is ${transitionToIaDays}; use 0 (stay in Standard) or ${MIN_IA_TRANSITION_DAYS} to 3650: S3 moves objects to Standard-IA only once they are 30 days old`,
        );
    }
    const corsOrigins = args.corsOrigins ?? [];
    const badOrigin = corsOrigins.find((o) => typeof o === "string" && !CORS_ORIGIN.test(o));
    if (badOrigin !== undefined) {
        fail(
            "corsOrigins",
            `has ${JSON.stringify(badOrigin)}; expected an origin such as https://app.example.com (scheme and host, no path, no bare "*")`,
        );
    }
    const corsMethods = args.corsMethods ?? ["GET", "PUT", "HEAD"];
    const badMethod = corsMethods.find((m) => !(CORS_METHODS as readonly string[]).includes(m));
    if (badMethod !== undefined) {
        fail("corsMethods", `has ${JSON.stringify(badMethod)}; allowed: ${CORS_METHODS.join(", ")}`);
    }
    const dataClassification = args.dataClassification ?? "internal";
    if (!/^[a-z][a-z0-9-]{0,63}$/.test(dataClassification)) {
        fail(
            "dataClassification",
            `is ${JSON.stringify(dataClassification)}; expected a lower-case word such as confidential`,
        );
    }
    // Passed through into the policy document as given; IAM validates the statements on deployment.
    const policyStatements = (args.policyStatements ?? []) as pulumi.Input<PolicyStatement>[];
    // Only statements given as plain objects can be checked before deployment.
    const plain = policyStatements.filter(
        (st): st is PolicyStatement => !pulumi.Output.isInstance(st) && !(st instanceof Promise),
    );
    const shadowing = plain.find((st) => typeof st.Sid === "string" && BUILT_IN_SIDS.includes(st.Sid));
    if (shadowing !== undefined) {
        fail(
            "policyStatements",
            `has a statement with Sid ${JSON.stringify(shadowing.Sid)}, which the bucket's own TLS statements use; pick another Sid`,
        );
    }
    const accessLogPrefix = args.accessLogPrefix ?? `${name}/`;
    if (!/^[A-Za-z0-9!_.*'()/-]{1,512}\/$/.test(accessLogPrefix)) {
        fail(
            "accessLogPrefix",
            `is ${JSON.stringify(accessLogPrefix)}; expected a key prefix ending in "/" (letters, digits, ! _ . * ' ( ) - /)`,
        );
    }
    return {
        transitionToIaDays,
        noncurrentVersionExpirationDays: requireInt(
            "Bucket",
            name,
            "noncurrentVersionExpirationDays",
            args.noncurrentVersionExpirationDays ?? 90,
            1,
            3650,
        ),
        abortIncompleteMultipartUploadDays: requireInt(
            "Bucket",
            name,
            "abortIncompleteMultipartUploadDays",
            args.abortIncompleteMultipartUploadDays ?? 7,
            1,
            365,
        ),
        corsOrigins,
        corsMethods,
        dataClassification,
        kmsServicePrincipals: args.kmsServicePrincipals ?? [],
        kmsServiceSourceArns: args.kmsServiceSourceArns ?? {},
        policyStatements,
        accessLogBucketName: args.accessLogBucketName,
        accessLogPrefix,
        forceDestroy: args.forceDestroy ?? false,
        protect: args.protect ?? false,
    };
}
