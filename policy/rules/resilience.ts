/**
 * 5.4 Resilience and data-loss protection. The `prodOnly` rules are off in dev (the policy's
 * `environment`, or without it the stack name): dev stacks are meant to be cheap and disposable
 * (single AZ, no deletion protection), so they report nothing there.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { environmentProperty, EnvConfig, envSchema } from "./lib/environment";
import { Findings } from "./lib/findings";
import { attachedTo, linked, nameIs, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, peek, Tri, UNKNOWN } from "./lib/unknowns";
import { allOf, anyOf, asList, asNum, asStr, atLeast, isPresent, isTrue, show, strIn, tagOf } from "./lib/values";
import { deadLetterQueues } from "./alarms";
import { N } from "./next-helpers";

// ------------------------------------------------------------------------------------------------

interface BackupConfig {
    minDays?: number;
}

const resRdsBackup = resourceRule(
    {
        name: "res-rds-backup",
        description: "RDS instances keep automated backups for at least the configured number of days.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "rds-instance-backup-enabled; RDS.11; CKV_AWS_133",
        remediation: "Set backupRetentionPeriod explicitly to at least minDays (default 7).",
        configSchema: {
            properties: {
                minDays: {
                    type: "integer",
                    minimum: 1,
                    maximum: 35,
                    default: 7,
                    description: "Minimum backup retention (days).",
                },
            },
        },
    },
    [T.rdsInstance],
    (r, cfg: BackupConfig, f) => {
        if (isReadReplica(r.props)) {
            return;
        }
        const min = cfg.minDays ?? 7;
        const days = r.props.backupRetentionPeriod;
        if (days === undefined || days === null) {
            f.fail(
                `backupRetentionPeriod is not set, so the provider default applies: set backupRetentionPeriod: ${min} or more.`,
            );
            return;
        }
        f.expect(
            atLeast(days, min),
            "backupRetentionPeriod",
            `backupRetentionPeriod is ${show(days)}: set it to at least ${min} days.`,
        );
    },
);

/**
 * A read replica (`replicateSourceDb` set; an unknown source still means a replica) holds a copy
 * of its source: backups, final snapshots and Multi-AZ standby belong to the source, and AWS
 * requires skipping the final snapshot when a replica is deleted.
 */
function isReadReplica(props: Record<string, unknown>): boolean {
    return isPresent(props.replicateSourceDb);
}

const resRdsDeleteProtect = resourceRule(
    {
        name: "res-rds-delete-protect",
        description: "Prod RDS instances have deletion protection and take a final snapshot.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "RDS.8; CKV_AWS_293",
        remediation: "In prod set deletionProtection: true, skipFinalSnapshot: false and finalSnapshotIdentifier.",
        configSchema: envSchema,
        prodOnly: true,
    },
    [T.rdsInstance],
    (r, _cfg: EnvConfig, f) => {
        if (isReadReplica(r.props)) {
            return;
        }
        const p = r.props;
        f.expect(
            isTrue(p.deletionProtection),
            "deletionProtection",
            `deletionProtection is ${show(p.deletionProtection)}: set deletionProtection: true in prod.`,
        );
        const skip = isTrue(p.skipFinalSnapshot);
        f.expect(
            skip === UNKNOWN ? UNKNOWN : !skip,
            "skipFinalSnapshot",
            "skipFinalSnapshot is true, so deleting the instance loses its data: set skipFinalSnapshot: false.",
        );
        if (!isPresent(p.finalSnapshotIdentifier)) {
            f.fail(
                "finalSnapshotIdentifier is not set, so AWS refuses the final snapshot on delete: set it (e.g. " +
                    "`${identifier}-final`).",
            );
        }
    },
);

const resRdsMultiAz = resourceRule(
    {
        name: "res-rds-multiaz",
        description: "Prod RDS instances are Multi-AZ.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "rds-instance-multi-az-enabled; RDS.5; CKV_AWS_157",
        remediation: "In prod set multiAz: true (doubles the instance cost; failover takes 1-2 minutes).",
        configSchema: envSchema,
        prodOnly: true,
    },
    [T.rdsInstance],
    (r, _cfg: EnvConfig, f) => {
        if (isReadReplica(r.props)) {
            return;
        }
        f.expect(
            isTrue(r.props.multiAz),
            "multiAz",
            `multiAz is ${show(r.props.multiAz)}: set multiAz: true in prod so an AZ outage fails over instead of ` +
                "taking the database down.",
        );
    },
);

interface RedisHaConfig extends EnvConfig {
    minSnapshotRetention?: number;
}

const resRedisHa = resourceRule(
    {
        name: "res-redis-ha",
        description: "Prod ElastiCache replication groups fail over automatically across AZs and keep snapshots.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "ElastiCache.1; ElastiCache.3; CKV2_AWS_50",
        remediation:
            "In prod set automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters >= 2 " +
            "(or replicasPerNodeGroup >= 1) and snapshotRetentionLimit >= 1.",
        configSchema: {
            properties: {
                environment: environmentProperty,
                minSnapshotRetention: {
                    type: "integer",
                    minimum: 1,
                    default: 1,
                    description: "Minimum snapshot retention (days).",
                },
            },
        },
        prodOnly: true,
    },
    [T.redis],
    (r, cfg: RedisHaConfig, f) => {
        const p = r.props;
        f.expect(
            isTrue(p.automaticFailoverEnabled),
            "automaticFailoverEnabled",
            `automaticFailoverEnabled is ${show(p.automaticFailoverEnabled)}: set it to true in prod.`,
        );
        f.expect(
            isTrue(p.multiAzEnabled),
            "multiAzEnabled",
            `multiAzEnabled is ${show(p.multiAzEnabled)}: set it to true in prod.`,
        );
        // Cluster mode sizes by node groups and replicas; otherwise by the number of cache clusters.
        const nodes: Tri =
            p.numNodeGroups !== undefined || p.replicasPerNodeGroup !== undefined
                ? atLeast(p.replicasPerNodeGroup, 1)
                : atLeast(p.numCacheClusters, 2);
        f.expect(
            nodes,
            "numCacheClusters/replicasPerNodeGroup",
            `the group has no replica (numCacheClusters ${show(p.numCacheClusters)}, replicasPerNodeGroup ` +
                `${show(p.replicasPerNodeGroup)}): set numCacheClusters: 2 (or replicasPerNodeGroup: 1) in prod.`,
        );
        const min = cfg.minSnapshotRetention ?? 1;
        f.expect(
            atLeast(p.snapshotRetentionLimit, min),
            "snapshotRetentionLimit",
            `snapshotRetentionLimit is ${show(p.snapshotRetentionLimit)}: keep at least ${min} daily snapshot(s) in prod.`,
        );
    },
);

const resAlbDeleteProtect = resourceRule(
    {
        name: "res-alb-delete-protect",
        description: "Prod load balancers have deletion protection and span at least two subnets.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "elb-deletion-protection-enabled; ELB.6; ELB.13",
        remediation:
            "In prod set enableDeletionProtection: true and give the load balancer subnets in two or more AZs.",
        configSchema: envSchema,
        prodOnly: true,
    },
    T.loadBalancers,
    (r, _cfg: EnvConfig, f) => {
        const p = r.props;
        f.expect(
            isTrue(p.enableDeletionProtection),
            "enableDeletionProtection",
            `enableDeletionProtection is ${show(p.enableDeletionProtection)}: set it to true in prod.`,
        );
        const subnets = asList(p.subnets);
        const mappings = asList(p.subnetMappings);
        // The element values may be unknown IDs; only the count matters here, and it is known.
        const count: Tri =
            subnets === UNKNOWN || mappings === UNKNOWN ? UNKNOWN : Math.max(subnets.length, mappings.length) >= 2;
        f.expect(
            count,
            "subnets",
            "the load balancer has fewer than two subnets: place it in at least two AZs so one AZ's outage " +
                "doesn't take it down.",
        );
    },
);

// ------------------------------------------------------------------------------------------------

interface ProtectConfig extends EnvConfig {
    minKmsDeletionWindowDays?: number;
    minSecretRecoveryWindowDays?: number;
}

const resProtectStateful = resourceRule(
    {
        name: "res-protect-stateful",
        description:
            "Prod stateful resources carry Pulumi's protect option; keys and secrets keep a recovery window; image repositories are not force-deleted.",
        enforcementLevel: "advisory",
        family: "resilience",
        source: "Pulumi resource options; KMS.3",
        remediation:
            "In prod pass { protect: true } to databases, caches, buckets, keys, secrets, user pools and image " +
            "repositories (without forceDelete); keep " +
            "deletionWindowInDays >= 14 (KMS) and recoveryWindowInDays >= 7 (Secrets Manager).",
        configSchema: {
            properties: {
                environment: environmentProperty,
                minKmsDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 14 },
                minSecretRecoveryWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 7 },
            },
        },
        prodOnly: true,
    },
    // User pools: deleting one deletes every user (deletionProtection, res-cognito-delete-protect, guards the API side).
    [T.rdsInstance, T.redis, ...T.buckets, T.kmsKey, T.secret, T.ecrRepository, N.userPool],
    (r, cfg: ProtectConfig, f) => {
        if (r.opts.protect !== true) {
            f.fail(
                "the resource is not protected, so `pulumi destroy` or a refactor can delete it: pass " +
                    "{ protect: true } (Groundwork components take it from the stack's protect switch).",
            );
        }
        if (r.type === T.ecrRepository) {
            // forceDelete lets a delete remove the images too: the running tasks' images.
            f.expect(
                r.props.forceDelete === UNKNOWN ? UNKNOWN : r.props.forceDelete !== true,
                "forceDelete",
                "forceDelete is true, so deleting the repository also deletes the images running tasks use: set it false in prod.",
            );
        }
        if (r.type === T.kmsKey) {
            const min = cfg.minKmsDeletionWindowDays ?? 14;
            const w = r.props.deletionWindowInDays;
            // Unset means AWS's 30 days.
            f.expect(
                w === undefined || w === null ? true : atLeast(w, min),
                "deletionWindowInDays",
                `deletionWindowInDays is ${show(w)}: keep at least ${min} days to undo an accidental key deletion.`,
            );
        }
        if (r.type === T.secret) {
            const min = cfg.minSecretRecoveryWindowDays ?? 7;
            const w = r.props.recoveryWindowInDays;
            f.expect(
                w === undefined || w === null ? true : atLeast(w, min),
                "recoveryWindowInDays",
                `recoveryWindowInDays is ${show(w)}: keep at least ${min} days (0 deletes the secret immediately).`,
            );
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface VersioningConfig {
    dataTagKey?: string;
    dataTagValues?: string[];
}

/** The pack config that says which buckets hold data (see {@link dataBuckets}). */
const DATA_BUCKET_PROPERTIES = {
    dataTagKey: {
        type: "string",
        default: "data-classification",
        description: "Tag that marks data buckets.",
    },
    dataTagValues: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Tag values that make a bucket a data bucket; empty: any value.",
    },
} as const;

/**
 * The buckets that hold data: tagged `dataTagKey` (with one of `dataTagValues`, when given). A bucket
 * whose tags are unknown at preview is reported as deferred and skipped.
 */
function dataBuckets(stack: StackView, cfg: VersioningConfig, f: Findings): Res[] {
    const key = cfg.dataTagKey ?? "data-classification";
    const values = cfg.dataTagValues ?? [];
    return stack.ofType(...T.buckets).filter((bucket) => {
        const tag = tagOf(bucket.props, key);
        if (tag === UNKNOWN) {
            f.unknown(`${bucket.name}.tags`);
            return false;
        }
        return tag !== undefined && (values.length === 0 || values.includes(tag));
    });
}

const resS3Versioning = stackRule(
    {
        name: "res-s3-versioning",
        description: "Data buckets (tagged data-classification) are versioned and have a lifecycle configuration.",
        enforcementLevel: "advisory",
        family: "resilience",
        source: "S3.14; S3.10; S3.13; CKV_AWS_21",
        remediation:
            'Add aws.s3.BucketVersioning (status "Enabled") and aws.s3.BucketLifecycleConfiguration ' +
            "(expire noncurrent versions) with bucket: bucket.id.",
        configSchema: {
            properties: {
                ...DATA_BUCKET_PROPERTIES,
            },
        },
    },
    (stack, cfg: VersioningConfig, f) => {
        for (const bucket of dataBuckets(stack, cfg, f)) {
            const versionings = attachedTo(stack, T.bucketVersioning, "bucket", bucket, nameIs("bucket"));
            const verdicts: Tri[] = versionings.map((v) =>
                strIn(at(v.props, "versioningConfiguration", "status"), ["Enabled"]),
            );
            // Deprecated inline forms: Bucket.versioning.enabled, BucketV2.versionings[].enabled.
            const inline = bucket.props.versioning;
            if (inline !== undefined) {
                verdicts.push(isTrue(at(inline, "enabled")));
            }
            const inlineList = asList(bucket.props.versionings);
            if (inlineList === UNKNOWN) {
                verdicts.push(UNKNOWN);
            } else {
                verdicts.push(...inlineList.map((v) => isTrue(peek(v, "enabled"))));
            }
            f.expect(
                anyOf(verdicts),
                `${bucket.name} versioning status`,
                `data bucket ${bucket.name} is not versioned, so an overwrite or delete is permanent: add an ` +
                    'aws.s3.BucketVersioning (bucket: bucket.id) with status "Enabled".',
                bucket.urn,
            );
            const lifecycles = attachedTo(stack, T.bucketLifecycle, "bucket", bucket, nameIs("bucket"));
            const inlineRules = asList(bucket.props.lifecycleRules);
            const hasLifecycle: Tri =
                lifecycles.length > 0 ? true : inlineRules === UNKNOWN ? UNKNOWN : inlineRules.length > 0;
            f.expect(
                hasLifecycle,
                `${bucket.name}.lifecycleRules`,
                `data bucket ${bucket.name} has no lifecycle configuration, so old versions accumulate forever: add an ` +
                    "aws.s3.BucketLifecycleConfiguration that expires noncurrent versions.",
                bucket.urn,
            );
        }
    },
);

interface SuspendedConfig extends VersioningConfig, EnvConfig {}

const resS3VersioningSuspended = stackRule(
    {
        name: "res-s3-versioning-suspended",
        description: "In prod, no data bucket (tagged data-classification) has versioning suspended.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "S3.14; CKV_AWS_21",
        remediation:
            'Set the bucket\'s BucketVersioning status back to "Enabled"; expire noncurrent versions with a ' +
            "lifecycle rule instead of suspending versioning.",
        configSchema: {
            properties: {
                environment: environmentProperty,
                ...DATA_BUCKET_PROPERTIES,
            },
        },
        prodOnly: true,
    },
    (stack, cfg: SuspendedConfig, f) => {
        for (const bucket of dataBuckets(stack, cfg, f)) {
            for (const v of attachedTo(stack, T.bucketVersioning, "bucket", bucket, nameIs("bucket"))) {
                const status = asStr(at(v.props, "versioningConfiguration", "status"));
                if (status === UNKNOWN) {
                    f.unknown(`${v.name}.versioningConfiguration.status`);
                } else if (typeof status === "string" && status.toLowerCase() !== "enabled") {
                    f.fail(
                        `data bucket ${bucket.name} has versioning ${status} (${v.name}) in prod: overwrites and deletes ` +
                            'become permanent; set status "Enabled".',
                        v.urn,
                    );
                }
            }
            const inline = bucket.props.versioning;
            if (inline !== undefined && isTrue(at(inline, "enabled")) === false) {
                f.fail(`data bucket ${bucket.name} has versioning disabled inline in prod: enable it.`, bucket.urn);
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

/** SQS's default retention when messageRetentionSeconds is unset (4 days). */
const SQS_DEFAULT_RETENTION = 345600;

const resSqsDlqRetention = stackRule(
    {
        name: "res-sqs-dlq-retention",
        description: "A dead-letter queue keeps messages at least as long as each queue that sends to it.",
        enforcementLevel: "mandatory",
        family: "resilience",
        source: "SQS Developer Guide: dead-letter queues (a message's expiry follows its original enqueue time)",
        remediation:
            "Set the DLQ's messageRetentionSeconds to at least the source queue's (the maximum, 1209600 s = " +
            "14 days, is the usual choice).",
    },
    (stack, _cfg, f) => {
        const retention = (q: Res) => {
            const n = asNum(q.props.messageRetentionSeconds);
            return n === undefined ? SQS_DEFAULT_RETENTION : n;
        };
        const redrives = stack.ofType(T.queueRedrive);
        for (const q of stack.ofType(T.queue)) {
            const separate = redrives.find((r) => linked(r, "queueUrl", q));
            const dlqs = deadLetterQueues(stack, q, separate);
            if (dlqs === UNKNOWN) {
                f.unknown(`${q.name}.redrivePolicy`);
                continue;
            }
            for (const dlq of dlqs) {
                const src = retention(q);
                const dst = retention(dlq);
                if (src === UNKNOWN || dst === UNKNOWN) {
                    f.unknown(`${src === UNKNOWN ? q.name : dlq.name}.messageRetentionSeconds`);
                    continue;
                }
                if (dst < src) {
                    f.fail(
                        `dead-letter queue ${dlq.name} keeps messages ${dst} s but ${q.name} keeps them ${src} s; a ` +
                            "message's age counts from its first enqueue, so it can expire in the DLQ before anyone looks: " +
                            `set ${dlq.name}.messageRetentionSeconds ≥ ${src}.`,
                        dlq.urn,
                    );
                }
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

const resEcsDeploy = resourceRule(
    {
        name: "res-ecs-deploy",
        description: "ECS services roll back failed deployments and run on the latest Fargate platform.",
        enforcementLevel: "advisory",
        family: "resilience",
        source: "ECS.10; CKV_AWS_332",
        remediation:
            'Set deploymentCircuitBreaker { enable: true, rollback: true }; leave platformVersion unset or "LATEST".',
    },
    [T.ecsService],
    (r, _cfg, f) => {
        const p = r.props;
        const controller = asStr(at(p, "deploymentController", "type"));
        if (controller === UNKNOWN) {
            f.unknown("deploymentController.type");
        } else if (controller === undefined || controller.toUpperCase() === "ECS") {
            // The circuit breaker exists only for the ECS rolling-update controller.
            const cb = p.deploymentCircuitBreaker;
            f.expect(
                allOf([isTrue(at(cb, "enable")), isTrue(at(cb, "rollback"))]),
                "deploymentCircuitBreaker",
                "deploymentCircuitBreaker is not { enable: true, rollback: true }, so a failing deployment keeps " +
                    "replacing tasks: enable both.",
            );
        }
        const launch = asStr(p.launchType);
        const strategies = asList(p.capacityProviderStrategies);
        const fargate: Tri =
            launch === UNKNOWN || strategies === UNKNOWN
                ? UNKNOWN
                : launch?.toUpperCase() === "FARGATE" ||
                  strategies.some((s) => {
                      const n = asStr(peek(s, "capacityProvider"));
                      return typeof n === "string" && n.startsWith("FARGATE");
                  });
        if (fargate === false) {
            return;
        }
        const pv = asStr(p.platformVersion);
        f.expect(
            pv === UNKNOWN ? UNKNOWN : pv === undefined || pv.toUpperCase() === "LATEST",
            "platformVersion",
            `platformVersion is pinned to ${show(pv)}: leave it unset or "LATEST" to get Fargate security patches.`,
        );
    },
);

const resEcrLifecycle = stackRule(
    {
        name: "res-ecr-lifecycle",
        description: "ECR repositories expire old images, use immutable tags and scan on push.",
        enforcementLevel: "advisory",
        family: "resilience",
        source: "ECR.1; ECR.2; ECR.3; CKV_AWS_51; CKV_AWS_163",
        remediation:
            'Add an aws.ecr.LifecyclePolicy (repository: repo.name); set imageTagMutability "IMMUTABLE" and ' +
            "imageScanningConfiguration { scanOnPush: true }.",
    },
    (stack, _cfg, f) => {
        for (const repo of stack.ofType(T.ecrRepository)) {
            if (attachedTo(stack, [T.ecrLifecyclePolicy], "repository", repo, nameIs("name")).length === 0) {
                f.fail(
                    `repository ${repo.name} has no lifecycle policy, so images pile up (and cost) forever: add an ` +
                        "aws.ecr.LifecyclePolicy with repository: repo.name.",
                    repo.urn,
                );
            }
            const mutability = repo.props.imageTagMutability;
            f.expect(
                strIn(mutability, ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"]),
                `${repo.name}.imageTagMutability`,
                `repository ${repo.name} has imageTagMutability ${show(mutability)}: set "IMMUTABLE" so a tag always ` +
                    "means the same image.",
                repo.urn,
            );
            const scan = at(repo.props, "imageScanningConfiguration", "scanOnPush");
            f.expect(
                isTrue(scan),
                `${repo.name}.imageScanningConfiguration.scanOnPush`,
                `repository ${repo.name} does not scan on push: set imageScanningConfiguration { scanOnPush: true }.`,
                repo.urn,
            );
        }
    },
);

export const resiliencePolicies: RegisteredPolicy[] = [
    resRdsBackup,
    resRdsDeleteProtect,
    resRdsMultiAz,
    resRedisHa,
    resAlbDeleteProtect,
    resProtectStateful,
    resS3Versioning,
    resS3VersioningSuspended,
    resSqsDlqRetention,
    resEcsDeploy,
    resEcrLifecycle,
];
