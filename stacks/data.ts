import { z } from "zod";
import { BucketArgs, CORS_ORIGIN, MIN_IA_TRANSITION_DAYS } from "../components/bucket";
import type { CacheArgs } from "../components/cache";
import type { DatabaseArgs } from "../components/database";
import {
    CACHE_DEFAULT_VERSIONS,
    CACHE_ENGINES,
    GP3_IOPS,
    GP3_THROUGHPUT_MIBPS,
    RDS_STORAGE_GB,
    cacheVersionProblem,
    gp3ProvisioningProblem,
    maxAllocatedStorageProblem,
    minMaxAllocatedStorageGb,
    postgresVersionProblem,
    sqlNameProblem,
} from "../components/internal/rules";
import {
    MESSAGE_RETENTION_SECONDS,
    OLDEST_MESSAGE_AGE_ALARM_SECONDS,
    QueueArgs,
    oldestMessageAgeProblem,
} from "../components/queue";
import type { ConfigProblem } from "./errors";
import type { Environment } from "./schema";
import { distinctArray, regionSchema } from "./values";

/**
 * The data tier's config sections (`groundwork:database`, `cache`, `storage`, `queues`): their raw
 * schemas (every field optional and documented), the tier defaults for dev and prod in one table,
 * and {@link resolveDataConfig}, which applies the defaults and checks what spans several fields.
 *
 * Only type imports from `./schema`: schema.ts imports this module for the section schemas, and a
 * value import back would be a cycle that leaves one side half-initialized.
 */

/** The config namespace (the Pulumi project name); problems are keyed `groundwork:<section>.<field>`. */
const NAMESPACE = "groundwork";

/** A list of `db.<family>.<size>` / `cache.<family>.<size>` names. */
function classes(prefix: string, families: Record<string, readonly string[]>): string[] {
    return Object.entries(families).flatMap(([family, sizes]) => sizes.map((size) => `${prefix}.${family}.${size}`));
}

const BURSTABLE = ["micro", "small", "medium", "large", "xlarge", "2xlarge"] as const;
const STANDARD = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] as const;

/**
 * RDS for PostgreSQL instance classes Groundwork allows: current generations only (Graviton t4g,
 * m7g, r7g, m6g, r6g and Intel t3, m6i, r6i), burstable ones up to 2xlarge. Offerings still vary
 * by region and minor version; RDS rejects a class it does not offer at `pulumi up`.
 */
export const RDS_INSTANCE_CLASSES: readonly string[] = classes("db", {
    t4g: BURSTABLE,
    t3: BURSTABLE,
    m7g: STANDARD,
    m6g: STANDARD,
    m6i: STANDARD,
    r7g: STANDARD,
    r6g: STANDARD,
    r6i: STANDARD,
});

/** ElastiCache node types Groundwork allows: current generations (Graviton t4g, m7g, m6g, r7g, r6g and Intel t3). */
export const CACHE_NODE_TYPES: readonly string[] = classes("cache", {
    t4g: ["micro", "small", "medium"],
    t3: ["micro", "small", "medium"],
    m7g: STANDARD,
    m6g: STANDARD,
    r7g: STANDARD,
    r6g: STANDARD,
});

const oneOf = (allowed: readonly string[], what: string) =>
    z.string().refine((value) => allowed.includes(value), {
        message: `is not a supported ${what}; allowed: ${allowed.join(", ")}`,
    });

/** A string checked by one of the rules the components check too (`components/internal/rules.ts`). */
const ruled = (problem: (value: string) => string | undefined) =>
    z.string().superRefine((value, ctx) => {
        const message = problem(value);
        if (message !== undefined) {
            ctx.addIssue({ code: "custom", message, input: value });
        }
    });

const days = (max: number) => z.number().int().min(1).max(max);

export const databaseSchema = z.strictObject({
    /** PostgreSQL version, a major ("16") or major.minor ("16.4", which turns automatic minor upgrades off), 14 to 17. Default "16". */
    engineVersion: ruled(postgresVersionProblem).optional(),
    /** Instance class. Default db.t4g.micro (dev), db.t4g.small (prod). Changed in place, never replaced. */
    instanceClass: oneOf(RDS_INSTANCE_CLASSES, "instance class").optional(),
    /** Initial gp3 storage, GiB (20-65,536). Default 20. */
    allocatedStorageGb: z.number().int().min(RDS_STORAGE_GB.min).max(RDS_STORAGE_GB.max).optional(),
    /** Storage autoscaling ceiling, GiB: at least 10 % above allocatedStorageGb. Default 100 (dev), 500 (prod). */
    maxAllocatedStorageGb: z
        .number()
        .int()
        .min(minMaxAllocatedStorageGb(RDS_STORAGE_GB.min))
        .max(RDS_STORAGE_GB.max)
        .optional(),
    /** Provisioned gp3 IOPS (12,000-64,000); only with allocatedStorageGb ≥ 400. Default: the gp3 baseline. */
    iops: z.number().int().min(GP3_IOPS.min).max(GP3_IOPS.max).optional(),
    /** Provisioned gp3 throughput, MiB/s (500-4,000); only with allocatedStorageGb ≥ 400. Default: the baseline. */
    storageThroughputMiBps: z.number().int().min(GP3_THROUGHPUT_MIBPS.min).max(GP3_THROUGHPUT_MIBPS.max).optional(),
    /** Synchronous standby in a second AZ. Default false (dev), true (prod; required there). */
    multiAz: z.boolean().optional(),
    /** Automated backup (and point-in-time recovery) window, days (1-35). Default 1 (dev), 30 (prod; at least 7 there). */
    backupRetentionDays: days(35).optional(),
    /** PostgreSQL max_connections (10-5,000); the connections alarm fires at 80 %. Default 100. */
    maxConnections: z.number().int().min(10).max(5000).optional(),
    /** Read replicas in the stack's region (0-5). Default 0. */
    readReplicas: z.number().int().min(0).max(5).optional(),
    /** Instance class of the read replicas. Default: instanceClass. */
    replicaInstanceClass: oneOf(RDS_INSTANCE_CLASSES, "instance class").optional(),
    /** Region that receives a copy of the automated backups (disaster recovery). Default: none. */
    drRegion: regionSchema.optional(),
    /** Name of the application database. Default "app". Changing it replaces the database. */
    databaseName: ruled((v) => sqlNameProblem(v, "database")).optional(),
    /** Master user name (its password lives in Secrets Manager, managed by RDS). Default "dbadmin". Changing it replaces the database. */
    username: ruled((v) => sqlNameProblem(v, "user")).optional(),
});

export const cacheSchema = z.strictObject({
    /** `redis` (Redis OSS) or `valkey`. Default redis. */
    engine: z.enum(CACHE_ENGINES).optional(),
    /** Engine version: redis 7.0 or 7.1; valkey 7.2, 8.0 or 8.1 (checked against `engine`). Default 7.1 (redis), 8.0 (valkey). */
    engineVersion: z.string().optional(),
    /** Node type. Default cache.t4g.micro (dev), cache.t4g.small (prod). */
    nodeType: oneOf(CACHE_NODE_TYPES, "cache node type").optional(),
    /** Nodes, primary included (1-6); from 2 with automatic failover and Multi-AZ. Default 1 (dev), 2 (prod; at least 2 there). */
    numCacheClusters: z.number().int().min(1).max(6).optional(),
    /** Days of automatic snapshots (1-35). Default 1 (dev), 7 (prod). */
    snapshotRetentionDays: days(35).optional(),
});

const origin = z.string().regex(CORS_ORIGIN, {
    message: "is not a browser origin: scheme and host (optionally a port), no path, e.g. https://app.example.com",
});

const bucketSchema = z.strictObject({
    /** Days after upload before objects move to Standard-IA: 0 (never) or 30-3,650. */
    transitionToIaDays: z
        .number()
        .int()
        .refine((d) => d === 0 || (d >= MIN_IA_TRANSITION_DAYS && d <= 3650), {
            message: `must be 0 (stay in Standard) or from ${MIN_IA_TRANSITION_DAYS} to 3650: S3 moves objects to Standard-IA only once they are ${MIN_IA_TRANSITION_DAYS} days old`,
        })
        .optional(),
    /** Days an overwritten or deleted version is kept (1-3,650). */
    noncurrentVersionExpirationDays: days(3650).optional(),
    /** Days before unfinished multipart uploads are aborted (1-365). */
    abortIncompleteMultipartUploadDays: days(365).optional(),
});

export const storageSchema = z.strictObject({
    /** Frontend origins allowed to upload and download with presigned URLs (CORS on the uploads bucket). Default none. */
    corsOrigins: distinctArray(origin, (o) => o.toLowerCase())
        .max(20)
        .optional(),
    /** The uploads bucket. Defaults: Standard-IA after 30 days, old versions kept 30 days (dev) / 90 (prod), aborts after 7. */
    uploads: bucketSchema.optional(),
    /** The assets bucket (served through the CDN). Defaults: stays in Standard, old versions kept 30 days, aborts after 1. */
    assets: bucketSchema.optional(),
});

const queueSchema = z.strictObject({
    /** Seconds a received message stays invisible (0-43,200): at least 6 × the worker's processing time. */
    visibilityTimeoutSeconds: z.number().int().min(0).max(43200).optional(),
    /** Receives before a message moves to the dead-letter queue (1-1,000). Default 5. */
    maxReceiveCount: z.number().int().min(1).max(1000).optional(),
    /** Seconds an unconsumed message is kept (60-1,209,600). Default 345,600 (4 days). */
    messageRetentionSeconds: z
        .number()
        .int()
        .min(MESSAGE_RETENTION_SECONDS.min)
        .max(MESSAGE_RETENTION_SECONDS.max)
        .optional(),
    /** Age (s) of the oldest message that raises the warning alarm; below messageRetentionSeconds. */
    oldestMessageAgeAlarmSeconds: z
        .number()
        .int()
        .min(OLDEST_MESSAGE_AGE_ALARM_SECONDS.min)
        .max(OLDEST_MESSAGE_AGE_ALARM_SECONDS.max)
        .optional(),
});

export const queuesSchema = z.strictObject({
    /** The background-jobs queue. Defaults: visibility 300 s, age alarm 900 s. */
    jobs: queueSchema.optional(),
    /** The event-bus queue. Defaults: visibility 60 s, age alarm 300 s. */
    events: queueSchema.optional(),
});

/** The data sections of the raw config; spread into the `groundwork:` namespace schema. */
export const dataConfigShape = {
    database: databaseSchema.optional(),
    cache: cacheSchema.optional(),
    storage: storageSchema.optional(),
    queues: queuesSchema.optional(),
};

export type RawDataConfig = { [K in keyof typeof dataConfigShape]?: z.infer<(typeof dataConfigShape)[K]> };

/**
 * A resolved config section is a component's args, narrowed to the keys config decides: the
 * compiler keeps the two in step, so a renamed argument cannot silently drop a setting.
 */
type Resolved<Args, Required_ extends keyof Args, Optional extends keyof Args = never> = Required<
    Pick<Args, Required_>
> &
    Pick<Args, Optional>;

export type DatabaseConfig = Resolved<
    DatabaseArgs,
    | "engineVersion"
    | "instanceClass"
    | "allocatedStorageGb"
    | "maxAllocatedStorageGb"
    | "multiAz"
    | "backupRetentionDays"
    | "maxConnections"
    | "readReplicas"
    | "databaseName"
    | "username"
    // Retention of the exported PostgreSQL logs (tier only, not a config key).
    | "logRetentionDays",
    "iops" | "storageThroughputMiBps" | "replicaInstanceClass" | "drRegion"
>;

export type CacheConfig = Resolved<
    CacheArgs,
    "engineVersion" | "nodeType" | "numCacheClusters" | "snapshotRetentionDays"
> & {
    /** Narrower than `CacheArgs.engine` (a string, validated at run time), as zod already checked it. */
    engine: (typeof CACHE_ENGINES)[number];
};

export type BucketConfig = Resolved<
    BucketArgs,
    "transitionToIaDays" | "noncurrentVersionExpirationDays" | "abortIncompleteMultipartUploadDays"
>;

export interface StorageConfig {
    corsOrigins: string[];
    uploads: BucketConfig;
    assets: BucketConfig;
    /** Let `pulumi destroy` delete non-empty buckets (tier only, not a config key). */
    forceDestroy: boolean;
}

export type QueueConfig = Resolved<
    QueueArgs,
    "visibilityTimeoutSeconds" | "maxReceiveCount" | "messageRetentionSeconds" | "oldestMessageAgeAlarmSeconds"
>;

export interface QueuesConfig {
    jobs: QueueConfig;
    events: QueueConfig;
}

/** The resolved data sections of the stack config. */
export interface DataConfig {
    database: DatabaseConfig;
    cache: CacheConfig;
    storage: StorageConfig;
    queues: QueuesConfig;
}

const FOUR_DAYS = 4 * 24 * 3600;

/**
 * What the data tier is per environment, in one table: dev is one small instance of everything
 * with short retention; prod is Multi-AZ, replicated, kept for 30 days. Cost at these defaults:
 * dev ≈ $12 (db.t4g.micro) + $12 (one cache.t4g.micro) ≈ $24/month; prod ≈ $48 (db.t4g.small
 * Multi-AZ) + $48 (two cache.t4g.small) ≈ $96/month, plus storage, KMS keys ($1 each) and alarms.
 */
/** What both tiers share; the tier table below states only what differs. */
const SHARED = {
    database: {
        engineVersion: "16",
        allocatedStorageGb: 20,
        maxConnections: 100,
        readReplicas: 0,
        databaseName: "app",
        username: "dbadmin",
    },
    cache: { engine: "redis", engineVersion: "7.1" },
    assets: { transitionToIaDays: 0, noncurrentVersionExpirationDays: 30, abortIncompleteMultipartUploadDays: 1 },
    queues: {
        jobs: {
            visibilityTimeoutSeconds: 300,
            maxReceiveCount: 5,
            messageRetentionSeconds: FOUR_DAYS,
            oldestMessageAgeAlarmSeconds: 900,
        },
        events: {
            visibilityTimeoutSeconds: 60,
            maxReceiveCount: 5,
            messageRetentionSeconds: FOUR_DAYS,
            oldestMessageAgeAlarmSeconds: 300,
        },
    },
} as const;

export const DATA_TIER_DEFAULTS: Record<Environment, DataConfig> = {
    dev: {
        database: {
            ...SHARED.database,
            instanceClass: "db.t4g.micro",
            maxAllocatedStorageGb: 100,
            multiAz: false,
            backupRetentionDays: 1,
            logRetentionDays: 30,
        },
        cache: { ...SHARED.cache, nodeType: "cache.t4g.micro", numCacheClusters: 1, snapshotRetentionDays: 1 },
        storage: {
            corsOrigins: [],
            uploads: {
                transitionToIaDays: 30,
                noncurrentVersionExpirationDays: 30,
                abortIncompleteMultipartUploadDays: 7,
            },
            assets: { ...SHARED.assets },
            forceDestroy: true,
        },
        queues: { jobs: { ...SHARED.queues.jobs }, events: { ...SHARED.queues.events } },
    },
    prod: {
        database: {
            ...SHARED.database,
            instanceClass: "db.t4g.small",
            maxAllocatedStorageGb: 500,
            multiAz: true,
            backupRetentionDays: 30,
            logRetentionDays: 365,
        },
        cache: { ...SHARED.cache, nodeType: "cache.t4g.small", numCacheClusters: 2, snapshotRetentionDays: 7 },
        storage: {
            corsOrigins: [],
            uploads: {
                transitionToIaDays: 30,
                noncurrentVersionExpirationDays: 90,
                abortIncompleteMultipartUploadDays: 7,
            },
            assets: { ...SHARED.assets },
            forceDestroy: false,
        },
        queues: { jobs: { ...SHARED.queues.jobs }, events: { ...SHARED.queues.events } },
    },
};

/** The least prod may keep: the policy pack's floor for backups, and what makes an AZ loss survivable. */
const PROD_MIN_BACKUP_DAYS = 7;

/**
 * Applies the tier defaults to the (schema-valid) raw data sections and checks the rules that
 * span fields or depend on the environment. Pure: returns the resolved sections and every
 * problem found, each keyed `groundwork:<section>.<field>`, for the caller to report together
 * with the rest of the config's problems.
 */
export function resolveDataConfig(
    raw: RawDataConfig,
    environment: Environment,
): { config: DataConfig; problems: ConfigProblem[] } {
    const tier = DATA_TIER_DEFAULTS[environment];
    const problems: ConfigProblem[] = [];
    const problem = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });

    const database: DatabaseConfig = { ...tier.database, ...raw.database };
    const ceiling = maxAllocatedStorageProblem(database.maxAllocatedStorageGb, database.allocatedStorageGb);
    if (ceiling !== undefined) {
        problem("database.maxAllocatedStorageGb", `${database.maxAllocatedStorageGb} ${ceiling}`);
    }
    for (const field of ["iops", "storageThroughputMiBps"] as const) {
        const gp3 = gp3ProvisioningProblem(database.allocatedStorageGb);
        if (database[field] !== undefined && gp3 !== undefined) {
            problem(`database.${field}`, `${database[field]} ${gp3}`);
        }
    }
    if (database.replicaInstanceClass !== undefined && database.readReplicas === 0) {
        problem(
            "database.replicaInstanceClass",
            `${JSON.stringify(database.replicaInstanceClass)} is set but readReplicas is 0; set readReplicas or remove it`,
        );
    }
    if (environment === "prod") {
        if (!database.multiAz) {
            problem(
                "database.multiAz",
                "false is not allowed in prod: the database must survive the loss of an AZ (and the policy pack requires Multi-AZ)",
            );
        }
        if (database.backupRetentionDays < PROD_MIN_BACKUP_DAYS) {
            problem(
                "database.backupRetentionDays",
                `${database.backupRetentionDays} is too short for prod; keep at least ${PROD_MIN_BACKUP_DAYS} days`,
            );
        }
    }

    const engine = raw.cache?.engine ?? tier.cache.engine;
    // A different engine brings its own default version, unless one is given.
    const engineVersion =
        raw.cache?.engineVersion ??
        (engine === tier.cache.engine ? tier.cache.engineVersion : CACHE_DEFAULT_VERSIONS[engine]);
    const cache: CacheConfig = { ...tier.cache, ...raw.cache, engine, engineVersion };
    const version = cacheVersionProblem(engine, engineVersion);
    if (version !== undefined) {
        problem("cache.engineVersion", `${JSON.stringify(engineVersion)} ${version}`);
    }
    if (environment === "prod" && cache.numCacheClusters < 2) {
        problem(
            "cache.numCacheClusters",
            `${cache.numCacheClusters} is too few for prod; at least 2 nodes give automatic failover across AZs`,
        );
    }

    const storage: StorageConfig = {
        corsOrigins: raw.storage?.corsOrigins ?? tier.storage.corsOrigins,
        uploads: { ...tier.storage.uploads, ...raw.storage?.uploads },
        assets: { ...tier.storage.assets, ...raw.storage?.assets },
        forceDestroy: tier.storage.forceDestroy,
    };
    if (environment === "prod") {
        storage.corsOrigins.forEach((o, i) => {
            if (!o.startsWith("https://")) {
                problem(
                    `storage.corsOrigins[${i}]`,
                    `${JSON.stringify(o)} is not allowed in prod; only https:// origins`,
                );
            }
        });
    }

    const queues: QueuesConfig = {
        jobs: { ...tier.queues.jobs, ...raw.queues?.jobs },
        events: { ...tier.queues.events, ...raw.queues?.events },
    };
    for (const name of ["jobs", "events"] as const) {
        const q = queues[name];
        const ageProblem = oldestMessageAgeProblem(q.oldestMessageAgeAlarmSeconds, q.messageRetentionSeconds);
        if (ageProblem) {
            problem(`queues.${name}.oldestMessageAgeAlarmSeconds`, `${q.oldestMessageAgeAlarmSeconds} ${ageProblem}`);
        }
    }

    return { config: { database, cache, storage, queues }, problems };
}
