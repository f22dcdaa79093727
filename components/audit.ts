import * as pulumi from "@pulumi/pulumi";
import * as cloudtrail from "@pulumi/aws/cloudtrail";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { policyDocument, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmSeverity, alarmRoutes, createAlarm } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { stackIamPath, stackScopedName } from "./internal/naming";
import { logRetentionProblem } from "./internal/rules";
import { lockBucketAccess, enableBucketVersioning, bucketTlsStatements, logBucketAccess } from "./internal/s3";

/**
 * One CIS AWS Foundations Benchmark monitoring control: a metric filter on the trail's log group and
 * an alarm on the metric it counts.
 */
export interface AuditControl {
    /** Short id, used in child and metric names (`root-account-usage`). */
    id: string;
    /** The Security Hub control it satisfies (`CloudWatch.1`). */
    control: string;
    /** What a breach means and what to do; the alarm's description. */
    description: string;
    /**
     * The filter pattern, exactly as AWS Security Hub's CloudWatch controls prescribe it (Security
     * Hub User Guide, "Security Hub controls for CloudWatch", CloudWatch.1-14: the control checks
     * the pattern verbatim, so a reworded filter fails it).
     */
    pattern: string;
    severity: AlarmSeverity;
    /** Alarm when the 5-minute count reaches this. */
    threshold: number;
}

/**
 * The controls the component declares, with their severity. Critical (pages someone) is for what
 * should never happen in normal operation and blinds or endangers the account: root use, the audit
 * trail changed or stopped, a key disabled or scheduled for deletion (everything it encrypted
 * becomes unreadable). Warning is for what a deploy does routinely (IAM policy, security-group,
 * NACL, route and VPC changes) and for denials, which a misconfigured client produces by the dozen:
 * someone looks at them the next working day. CloudWatch.3 (console sign-in without MFA) is left
 * out: it concerns IAM users, which this platform does not create.
 */
export const AUDIT_CONTROLS: readonly AuditControl[] = [
    {
        id: "root-account-usage",
        control: "CloudWatch.1",
        description: "The root user was used. Confirm who used it and why; rotate its credentials if unexpected.",
        pattern:
            '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
        severity: "critical",
        threshold: 1,
    },
    {
        id: "unauthorized-api-calls",
        control: "CloudWatch.2",
        description:
            "Ten or more API calls were denied in 5 minutes: a client lacks a permission, or someone is probing. Check the trail's errorCode events.",
        pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
        severity: "warning",
        // One denial is routine (a console page probing what it may show); a burst is not.
        threshold: 10,
    },
    {
        id: "iam-policy-changes",
        control: "CloudWatch.4",
        description:
            "An IAM policy was created, changed, attached or detached. Expected during a deploy; otherwise review it.",
        pattern:
            "{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || " +
            "($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || " +
            "($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || " +
            "($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || " +
            "($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || " +
            "($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}",
        severity: "warning",
        threshold: 1,
    },
    {
        id: "cloudtrail-changes",
        control: "CloudWatch.5",
        description: "A trail was created, changed, deleted, started or stopped. Make sure auditing still runs.",
        pattern:
            "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || " +
            "($.eventName=StartLogging) || ($.eventName=StopLogging)}",
        severity: "critical",
        threshold: 1,
    },
    {
        id: "console-signin-failures",
        control: "CloudWatch.6",
        description: "Three or more console sign-ins failed in 5 minutes: a forgotten password or a guessing attempt.",
        pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
        severity: "warning",
        threshold: 3,
    },
    {
        id: "kms-key-disable-or-delete",
        control: "CloudWatch.7",
        description:
            "A customer-managed KMS key was disabled or scheduled for deletion: what it encrypts becomes unreadable. Cancel the deletion (kms cancel-key-deletion) unless intended.",
        pattern:
            "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
        severity: "critical",
        threshold: 1,
    },
    {
        id: "security-group-changes",
        control: "CloudWatch.10",
        description: "A security group was created, changed or deleted. Expected during a deploy; otherwise review it.",
        pattern:
            "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || " +
            "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || " +
            "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
        severity: "warning",
        threshold: 1,
    },
    {
        id: "nacl-changes",
        control: "CloudWatch.11",
        description: "A network ACL was created, changed or deleted. Expected during a deploy; otherwise review it.",
        pattern:
            "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || " +
            "($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || " +
            "($.eventName=ReplaceNetworkAclAssociation)}",
        severity: "warning",
        threshold: 1,
    },
    {
        id: "route-table-changes",
        control: "CloudWatch.13",
        description: "A route or route table was changed. Expected during a deploy; otherwise review it.",
        pattern:
            "{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || " +
            "($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || " +
            "($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}",
        severity: "warning",
        threshold: 1,
    },
    {
        id: "vpc-changes",
        control: "CloudWatch.14",
        description:
            "A VPC or VPC peering was created, changed or deleted. Expected during a deploy; otherwise review it.",
        pattern:
            "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || " +
            "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || " +
            "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || " +
            "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || " +
            "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
        severity: "warning",
        threshold: 1,
    },
];

export interface AuditArgs {
    /**
     * Days a log file stays in S3 Standard before it moves to S3 Glacier Flexible Retrieval
     * ($0.0036/GB-month instead of $0.023; each object is billed for at least 90 days there, and
     * reading one back takes hours). Audit logs are read in the first weeks, if ever.
     * @default 90
     */
    glacierTransitionDays?: number;
    /**
     * Days after which a log file (and its digest) is deleted. At least 90 days after the Glacier
     * transition, so no object is deleted before Glacier's minimum storage duration has been billed
     * anyway; CIS asks for at least a year of audit history.
     * @default 365
     */
    expirationDays?: number;
    /**
     * Days the trail's CloudWatch Logs group keeps events (a CloudWatch Logs retention period). The
     * group feeds the metric filters; the bucket is the archive, so a shorter period here is fine.
     * @default 365
     */
    logRetentionDays?: number;
    /** The warning route: SNS topic for warning-severity alarms (and for critical ones without `criticalAlarmTopicArn`). */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * The critical route: SNS topic for critical-severity alarms (root use, trail changes, key
     * deletion), which page someone.
     * @default alarmTopicArn
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * CloudWatch namespace of the metrics the filters count.
     * @default "Groundwork/Audit/<project>-<stack>"
     */
    metricNamespace?: string;
    /**
     * The bucket that receives the trail bucket's S3 server access logs (CIS AWS Foundations: access
     * logging on the CloudTrail bucket; Security Hub S3.9), e.g. an `AccessLogBucket`'s `bucketName`
     * whose grant names this component's `bucketArn`. No access logging when unset.
     * @default undefined
     */
    accessLogBucketName?: pulumi.Input<string>;
    /**
     * Permissions boundary set on the role CloudTrail uses to write the log group, for accounts
     * whose deploy role may only create bounded roles.
     * @default undefined (no boundary)
     */
    permissionsBoundaryArn?: pulumi.Input<string>;
    /**
     * Protect the trail bucket and its KMS key (`protect` and `retainOnDelete`): the audit history
     * must outlive the stack. Unprotected, the bucket is emptied and deleted with the stack.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of an {@link Audit}. An interface, so that the component package's schema can carry it. */
export interface AuditNodes {
    trail: cloudtrail.Trail;
    key: KmsKey;
    bucket: AuditBucketNodes;
    logGroup: cloudwatch.LogGroup;
    role: iam.Role;
    rolePolicy: iam.RolePolicy;
    /** Keyed by {@link AuditControl.id}. */
    metricFilters: Record<string, cloudwatch.LogMetricFilter>;
    alarms: Record<string, cloudwatch.MetricAlarm>;
}

/**
 * The account's audit trail: a multi-region CloudTrail trail of management events (read and
 * write, global services included) with log file validation, encrypted with its own
 * customer-managed key, delivered to a dedicated bucket (all public access blocked, ACLs off,
 * SSE-KMS, versioning, TLS-only policy, lifecycle to Glacier and expiry, optionally S3 server access
 * logging to `accessLogBucketName`) and to a KMS-encrypted
 * CloudWatch Logs group, whose metric filters and alarms cover the CIS monitoring controls in
 * {@link AUDIT_CONTROLS} (Security Hub CloudWatch.1, .2, .4-.7, .10, .11, .13, .14), each routed
 * by its severity.
 *
 * One trail per account is enough (every trail after the first pays for its management events), so a
 * stack that shares its account with another should leave the trail to one of them.
 *
 * ```ts
 * const audit = new Audit("audit", {
 *     alarmTopicArn: monitoring.alarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
 *     expirationDays: 2557, // seven years
 *     protect: true,
 * });
 * ```
 *
 * Reading the log files takes `s3:GetObject` on the bucket and `kms:Decrypt` on `kmsKeyArn` in an
 * IAM policy: the key lets the account administer it through IAM (as every Groundwork key does), so
 * AWS's decrypt statement for the account, kept in the key policy, documents the reader rather than
 * restricting it.
 *
 * **Cost**: the account's first copy of management events is free; S3 ≈ $0.023/GB-month for
 * the first 90 days, then $0.0036/GB in Glacier; CloudWatch Logs $0.50/GB ingested + $0.03/GB-month
 * stored (a quiet account writes well under 1 GB/month); KMS key $1/month + requests; 10 alarms ×
 * $0.10 = $1/month. A small account: ≈ $3/month.
 */
export class Audit extends pulumi.ComponentResource {
    readonly trailArn: pulumi.Output<string>;
    readonly trailName: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** CloudWatch namespace of the CIS metrics. */
    readonly metricNamespace: string;
    /** The raw children, for advanced use. */
    readonly nodes: AuditNodes;

    private readonly name: string;

    constructor(name: string, args: AuditArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Audit", name, {}, opts);
        this.name = name;
        const cfg = normalizeAuditArgs(name, args);

        const arns = this.trailCoordinates(cfg);
        const key = this.createKey(cfg, arns);
        const bucket = this.createBucket(cfg, key, arns);
        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            // Not protected: the name is fixed, so a retained group would block a re-created stack;
            // the bucket is the archive.
            { name: cfg.logGroupName, retentionInDays: cfg.logRetentionDays, kmsKeyId: key.key.arn },
            { parent: this },
        );
        const { role, rolePolicy } = this.createLogsRole(cfg, logGroup, arns);
        const trail = this.createTrail(cfg, key, bucket, logGroup, role, rolePolicy);
        const { metricFilters, alarms } = this.createControls(cfg, logGroup);

        this.trailArn = trail.arn;
        this.trailName = trail.name;
        this.bucketName = bucket.bucket.bucket;
        this.bucketArn = bucket.bucket.arn;
        this.kmsKeyArn = key.key.arn;
        this.logGroupName = logGroup.name;
        this.metricNamespace = cfg.metricNamespace;
        this.nodes = { trail, key, bucket, logGroup, role, rolePolicy, metricFilters, alarms };
        this.registerOutputs({
            trailArn: this.trailArn,
            bucketName: this.bucketName,
            kmsKeyArn: this.kmsKeyArn,
            logGroupName: this.logGroupName,
        });
    }

    /**
     * The trail's ARN, built from its name: the key policy and bucket policy need it, and the
     * trail needs both before it exists (CloudTrail checks them at CreateTrail).
     */
    private trailCoordinates(cfg: NormalizedAuditArgs): TrailCoordinates {
        const invokeOpts = { parent: this };
        const account = getCallerIdentityOutput({}, invokeOpts).accountId;
        const partition = getPartitionOutput({}, invokeOpts).partition;
        const region = getRegionOutput({}, invokeOpts).region;
        return {
            account,
            partition,
            trailArn: pulumi.interpolate`arn:${partition}:cloudtrail:${region}:${account}:trail/${cfg.trailName}`,
            anyTrailOfAccount: pulumi.interpolate`arn:${partition}:cloudtrail:*:${account}:trail/*`,
        };
    }

    /**
     * The key policy sections AWS documents for a trail (CloudTrail User Guide, "Configure AWS KMS
     * key policies for CloudTrail"): CloudTrail may `kms:GenerateDataKey*` for this trail only
     * (`aws:SourceArn`) and for log files of this account's trails (the encryption context), and may
     * `kms:DescribeKey`; principals of this account may decrypt log files and digests, again only
     * under CloudTrail's encryption context (AWS's example names `"AWS": "*"` with
     * `kms:CallerAccount`; the account principal is the same grant without a wildcard principal).
     * CloudWatch Logs may use the key for the trail's log group only.
     */
    private createKey(cfg: NormalizedAuditArgs, arns: TrailCoordinates): KmsKey {
        const cloudTrail = { Service: "cloudtrail.amazonaws.com" };
        return createKmsKey(
            `${this.name}-key`,
            {
                description: `Encrypts the CloudTrail log files and trail log group of ${this.name}`,
                cloudWatchLogGroupNames: [cfg.logGroupName],
                extraStatements: [
                    {
                        Sid: "AllowCloudTrailToEncryptLogs",
                        Effect: "Allow",
                        Principal: cloudTrail,
                        Action: "kms:GenerateDataKey*",
                        Resource: "*",
                        Condition: {
                            StringEquals: { "aws:SourceArn": arns.trailArn },
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": arns.anyTrailOfAccount },
                        },
                    },
                    {
                        Sid: "AllowCloudTrailToDescribeKey",
                        Effect: "Allow",
                        Principal: cloudTrail,
                        Action: "kms:DescribeKey",
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceArn": arns.trailArn } },
                    },
                    {
                        Sid: "AllowAccountToDecryptLogFiles",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${arns.partition}:iam::${arns.account}:root` },
                        Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
                        Resource: "*",
                        Condition: {
                            StringEquals: { "kms:CallerAccount": arns.account },
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": arns.anyTrailOfAccount },
                        },
                    },
                ],
                protect: cfg.protect,
            },
            this,
        );
    }

    /**
     * The trail's own bucket. SSE-KMS with the trail's key but without S3 bucket keys: with a bucket
     * key, CloudTrail would also need `kms:Decrypt` to create or update the trail (CloudTrail User
     * Guide, KMS key policy sections), and a trail writes a few objects per region every 5 minutes,
     * so per-object KMS requests cost cents. The policy is AWS's (CloudTrail User Guide, "Amazon S3
     * bucket policy for CloudTrail"): `s3:GetBucketAcl` and `s3:PutObject` under
     * `AWSLogs/<account>/`, both only for this trail (`aws:SourceArn`).
     */
    private createBucket(cfg: NormalizedAuditArgs, key: KmsKey, arns: TrailCoordinates): AuditBucketNodes {
        const n = `${this.name}-trail`;
        const bucket = new s3.Bucket(
            n,
            {
                // AWS appends a unique suffix: bucket names are global across all accounts.
                bucketPrefix: `${stackScopedName(n, 36)}-`,
                forceDestroy: !cfg.protect,
                tags: { "data-classification": "audit" },
            },
            statefulOptions(this, cfg.protect),
        );
        const { ownership, publicAccessBlock } = lockBucketAccess(n, bucket, this);
        const versioning = enableBucketVersioning(n, bucket, this);
        const encryption = new s3.BucketServerSideEncryptionConfiguration(
            `${n}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.key.arn },
                        bucketKeyEnabled: false,
                    },
                ],
            },
            { parent: this },
        );
        const everything = { prefix: "" };
        const lifecycle = new s3.BucketLifecycleConfiguration(
            `${n}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "archive-then-expire-log-files",
                        status: "Enabled",
                        filter: everything,
                        transitions: [{ days: cfg.glacierTransitionDays, storageClass: "GLACIER" }],
                        expiration: { days: cfg.expirationDays },
                    },
                    {
                        // Log files are never overwritten; a deleted one's version goes a month later.
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: everything,
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
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
        const resources = [bucket.arn, pulumi.interpolate`${bucket.arn}/*`];
        const cloudTrail = { Service: "cloudtrail.amazonaws.com" };
        const policy = new s3.BucketPolicy(
            `${n}-policy`,
            {
                bucket: bucket.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        ...bucketTlsStatements(resources),
                        {
                            Sid: "AWSCloudTrailAclCheck",
                            Effect: "Allow",
                            Principal: cloudTrail,
                            Action: "s3:GetBucketAcl",
                            Resource: bucket.arn,
                            Condition: { StringEquals: { "aws:SourceArn": arns.trailArn } },
                        },
                        {
                            Sid: "AWSCloudTrailWrite",
                            Effect: "Allow",
                            Principal: cloudTrail,
                            Action: "s3:PutObject",
                            Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${arns.account}/*`,
                            Condition: {
                                StringEquals: {
                                    "s3:x-amz-acl": "bucket-owner-full-control",
                                    "aws:SourceArn": arns.trailArn,
                                },
                            },
                        },
                    ],
                }),
            },
            // S3 refuses concurrent changes to a bucket's policy and its public access block.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
        const logging =
            cfg.accessLogBucketName !== undefined
                ? logBucketAccess(n, bucket, cfg.accessLogBucketName, this)
                : undefined;
        return { bucket, ownership, publicAccessBlock, versioning, encryption, lifecycle, policy, logging };
    }

    /**
     * The role CloudTrail assumes to write the log group (CloudTrail User Guide, "Role policy
     * document for CloudTrail to use CloudWatch Logs for monitoring"): create streams and put events
     * in this group only. Its trust names CloudTrail of this account (`aws:SourceAccount`), the
     * confused-deputy guard the pack's iam-role-trust asks of every service role.
     */
    private createLogsRole(
        cfg: NormalizedAuditArgs,
        logGroup: cloudwatch.LogGroup,
        arns: TrailCoordinates,
    ): { role: iam.Role; rolePolicy: iam.RolePolicy } {
        const role = new iam.Role(
            `${this.name}-cloudwatch`,
            {
                path: stackIamPath(),
                description: `CloudTrail writes the trail of ${this.name} to its CloudWatch Logs group`,
                permissionsBoundary: cfg.permissionsBoundaryArn,
                assumeRolePolicy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "cloudtrail.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": arns.account } },
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const rolePolicy = new iam.RolePolicy(
            `${this.name}-cloudwatch`,
            {
                role: role.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WriteTrailLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        return { role, rolePolicy };
    }

    private createTrail(
        cfg: NormalizedAuditArgs,
        key: KmsKey,
        bucket: AuditBucketNodes,
        logGroup: cloudwatch.LogGroup,
        role: iam.Role,
        rolePolicy: iam.RolePolicy,
    ): cloudtrail.Trail {
        return new cloudtrail.Trail(
            this.name,
            {
                name: cfg.trailName,
                s3BucketName: bucket.bucket.id,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                kmsKeyId: key.key.arn,
                eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
                // CloudTrail wants the group ARN with the log-stream wildcard.
                cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
                cloudWatchLogsRoleArn: role.arn,
            },
            // CloudTrail checks the bucket policy, the key policy and the role at CreateTrail.
            { parent: this, dependsOn: [bucket.policy, bucket.encryption, rolePolicy] },
        );
    }

    private createControls(
        cfg: NormalizedAuditArgs,
        logGroup: cloudwatch.LogGroup,
    ): {
        metricFilters: Record<string, cloudwatch.LogMetricFilter>;
        alarms: Record<string, cloudwatch.MetricAlarm>;
    } {
        const metricFilters: Record<string, cloudwatch.LogMetricFilter> = {};
        const alarms: Record<string, cloudwatch.MetricAlarm> = {};
        for (const control of AUDIT_CONTROLS) {
            const metricName = auditMetricName(control.id);
            const filter = new cloudwatch.LogMetricFilter(
                `${this.name}-${control.id}`,
                {
                    name: control.id,
                    logGroupName: logGroup.name,
                    pattern: control.pattern,
                    metricTransformation: {
                        name: metricName,
                        namespace: cfg.metricNamespace,
                        value: "1",
                        // A zero for every period without a match keeps the alarm out of
                        // INSUFFICIENT_DATA once the trail delivers.
                        defaultValue: "0",
                    },
                },
                { parent: this },
            );
            metricFilters[control.id] = filter;
            alarms[control.id] = createAlarm(
                `${this.name}-${control.id}`,
                {
                    description: `${control.control}: ${control.description}`,
                    severity: control.severity,
                    namespace: cfg.metricNamespace,
                    metricName,
                    dimensions: {},
                    statistic: "Sum",
                    period: 300,
                    threshold: control.threshold,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                },
                alarmRoutes(cfg.alarmTopicArn, cfg.criticalAlarmTopicArn),
                { parent: this, dependsOn: [filter] },
            );
        }
        return { metricFilters, alarms };
    }
}

/** `root-account-usage` → `RootAccountUsage`: the metric a control's filter counts. */
export function auditMetricName(id: string): string {
    return id
        .split("-")
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join("");
}

export interface AuditBucketNodes {
    bucket: s3.Bucket;
    ownership: s3.BucketOwnershipControls;
    publicAccessBlock: s3.BucketPublicAccessBlock;
    versioning: s3.BucketVersioning;
    encryption: s3.BucketServerSideEncryptionConfiguration;
    lifecycle: s3.BucketLifecycleConfiguration;
    policy: s3.BucketPolicy;
    /** Only with `accessLogBucketName`. */
    logging?: s3.BucketLogging;
}

interface TrailCoordinates {
    account: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    /** This trail's ARN, built from its name before it exists. */
    trailArn: pulumi.Output<string>;
    /** `arn:<partition>:cloudtrail:*:<account>:trail/*`, the encryption context of this account's trails. */
    anyTrailOfAccount: pulumi.Output<string>;
}

interface NormalizedAuditArgs {
    trailName: string;
    logGroupName: string;
    glacierTransitionDays: number;
    expirationDays: number;
    logRetentionDays: number;
    alarmTopicArn: pulumi.Input<string>;
    criticalAlarmTopicArn: pulumi.Input<string>;
    metricNamespace: string;
    accessLogBucketName?: pulumi.Input<string>;
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
}

/** Glacier Flexible Retrieval bills every object for at least this many days. */
export const GLACIER_MINIMUM_DAYS = 90;

/**
 * What is wrong with a trail bucket's lifecycle, or undefined: expiry must come at least
 * {@link GLACIER_MINIMUM_DAYS} after the Glacier transition. One rule for the component and the
 * stack config.
 */
export function auditLifecycleProblem(glacierTransitionDays: number, expirationDays: number): string | undefined {
    return expirationDays < glacierTransitionDays + GLACIER_MINIMUM_DAYS
        ? `must be at least glacierTransitionDays + ${GLACIER_MINIMUM_DAYS} ` +
              `(${glacierTransitionDays + GLACIER_MINIMUM_DAYS}): Glacier bills every object for ${GLACIER_MINIMUM_DAYS} days`
        : undefined;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeAuditArgs(name: string, args: AuditArgs): NormalizedAuditArgs {
    const check = new ArgChecker("Audit", name, args);
    const glacierTransitionDays = check.int("glacierTransitionDays", 90, 1, 3650);
    const expirationDays = check.int("expirationDays", 365, 1, 36500);
    const lifecycle = auditLifecycleProblem(glacierTransitionDays, expirationDays);
    if (lifecycle !== undefined) {
        check.fail("expirationDays", `is ${expirationDays}; ${lifecycle}`);
    }
    const logRetentionDays = args.logRetentionDays ?? 365;
    check.rule("logRetentionDays", logRetentionDays, logRetentionProblem(logRetentionDays));
    const scoped = stackScopedName(name, 128);
    const metricNamespace = check.match(
        "metricNamespace",
        args.metricNamespace ?? `Groundwork/Audit/${pulumi.getProject()}-${pulumi.getStack()}`,
        /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/,
        "expected a CloudWatch namespace (letters, digits, . - _ / # :, not starting with AWS/)",
    );
    return {
        // CloudTrail: 3-128 letters, digits, periods, underscores and hyphens, starting with a letter or digit.
        trailName: scoped,
        logGroupName: `/aws/cloudtrail/${scoped}`,
        glacierTransitionDays,
        expirationDays,
        logRetentionDays,
        alarmTopicArn: args.alarmTopicArn,
        criticalAlarmTopicArn: args.criticalAlarmTopicArn ?? args.alarmTopicArn,
        metricNamespace,
        accessLogBucketName: args.accessLogBucketName,
        permissionsBoundaryArn: args.permissionsBoundaryArn,
        protect: args.protect ?? false,
    };
}
