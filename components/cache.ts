import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as elasticache from "@pulumi/aws/elasticache";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmSpec, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { requireRecoveryWindow, secretName, stackScopedName } from "./internal/naming";
import {
    CACHE_DEFAULT_VERSIONS,
    CACHE_ENGINES,
    cacheVersionProblem,
    dailyWindowProblem,
    weeklyWindowProblem,
} from "./internal/rules";
import { DataStoreSecurityGroup, createDataStoreSecurityGroup } from "./internal/security-groups";

// The engine and version tables live with the rules the stack config shares; re-exported here.
export { CACHE_DEFAULT_VERSIONS, CACHE_ENGINES, CACHE_ENGINE_VERSIONS } from "./internal/rules";

export const CACHE_PORT = 6379;

/** Eviction policies Redis and Valkey accept for `maxmemory-policy`. */
export const MAXMEMORY_POLICIES = [
    "volatile-lru",
    "allkeys-lru",
    "volatile-lfu",
    "allkeys-lfu",
    "volatile-random",
    "allkeys-random",
    "volatile-ttl",
    "noeviction",
] as const;

/**
 * Printable characters an ElastiCache AUTH token may contain besides letters and digits (AWS
 * allows only these: `@`, `"` and `/` in particular are refused).
 */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";

/** The parameter group family of an engine version (`redis` 7.1 → `redis7`, `valkey` 8.0 → `valkey8`). */
export function cacheParameterGroupFamily(engine: string, engineVersion: string): string {
    return `${engine}${engineVersion.split(".")[0]}`;
}

/** CloudWatch's `CacheClusterId` of the i-th member (0-based) of a replication group: `<id>-001`, `<id>-002`, … */
export function memberClusterId(replicationGroupId: pulumi.Input<string>, index: number): pulumi.Output<string> {
    return pulumi.interpolate`${replicationGroupId}-${String(index + 1).padStart(3, "0")}`;
}

export interface CacheArgs {
    /** The VPC the cache lives in (the security group is created there). Changing it replaces the security group. */
    vpcId: pulumi.Input<string>;
    /** Subnets of the cache subnet group: the VPC's isolated subnets, one per AZ. */
    subnetIds: pulumi.Input<string>[];
    /**
     * Security groups allowed to connect on 6379 (the application's); each also gets the egress rule.
     * @default [] (nobody can connect)
     */
    clientSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * `redis` (Redis OSS) or `valkey` (its open-source fork, ≈ 20 % cheaper per node hour on
     * ElastiCache). Changing it upgrades in place only from Redis OSS to Valkey.
     * @default "redis"
     */
    engine?: string;
    /**
     * Engine version (`major.minor`): Redis OSS 7.0 or 7.1, Valkey 7.2, 8.0 or 8.1. A new major
     * brings a new parameter group (created before the old one is deleted).
     * @default "7.1" for Redis OSS, "8.0" for Valkey
     */
    engineVersion?: string;
    /**
     * Node type. Changing it is an online scaling operation, never a replacement. Cost:
     * cache.t4g.micro ≈ $0.016/h ≈ $12/month, cache.t4g.small ≈ $24/month, per node.
     * @default "cache.t4g.micro"
     */
    nodeType?: string;
    /**
     * Nodes: one primary plus read replicas (1-6). From 2, automatic failover and Multi-AZ are on
     * (the primary fails over to a replica in another AZ in about a minute). Changing it adds or
     * removes replicas in place. Cost: one node each.
     * @default 2
     */
    numCacheClusters?: number;
    /**
     * Days of automatic snapshots (1-35).
     * @default 7
     */
    snapshotRetentionDays?: number;
    /**
     * Daily snapshot window, UTC (`hh:mm-hh:mm`, at least 60 minutes; keep it apart from the maintenance window).
     * @default "02:00-03:00"
     */
    snapshotWindow?: string;
    /**
     * Weekly maintenance window, UTC (`ddd:hh:mm-ddd:hh:mm`, at least 60 minutes).
     * @default "sun:05:00-sun:06:00"
     */
    maintenanceWindow?: string;
    /**
     * `maxmemory-policy`: which keys go when memory is full. `volatile-lru` evicts only keys with a
     * TTL, so data stored without one (sessions with no expiry) is never evicted.
     * @default "volatile-lru"
     */
    maxmemoryPolicy?: string;
    /**
     * The replication group ID (lower-case, ≤ 40). Changing it replaces the cache (an empty one).
     * @default "<project>-<stack>-<name>", cut to 40
     */
    replicationGroupId?: string;
    /**
     * Apply modifications now instead of in the next maintenance window.
     * @default false
     */
    applyImmediately?: boolean;
    /**
     * ARN of the SNS topic for the cache's alarms (engine CPU, memory, evictions and, with
     * replicas, replication lag, per node). Required: a cache without engine-CPU and memory alarms
     * fails the policy pack's `alarm-redis`, and alarms without an action fail `alarm-actions`.
     */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the replication group, the AUTH token secret and the KMS key (`protect` and
     * `retainOnDelete`), and take a final snapshot on deletion. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Cache}. An interface, so that the component package's schema can carry it. */
export interface CacheNodes {
    replicationGroup: elasticache.ReplicationGroup;
    key: KmsKey;
    securityGroup: DataStoreSecurityGroup;
    subnetGroup: elasticache.SubnetGroup;
    parameterGroup: elasticache.ParameterGroup;
    authToken: RandomPassword;
    authTokenSecret: secretsmanager.Secret;
    authTokenVersion: secretsmanager.SecretVersion;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * An ElastiCache replication group (Redis OSS or Valkey, cluster mode off) in the isolated subnets
 * behind its own security group (6379 from the client groups only, no egress), encrypted at rest
 * with its own customer-managed KMS key and in transit (TLS required), with an AUTH token
 * generated by `@pulumi/random` and kept in Secrets Manager (the application reads it from there),
 * a parameter group, daily snapshots and a maintenance window. With two or more nodes: automatic
 * failover and Multi-AZ. Engine CPU, memory, evictions and replication lag alarms on every node.
 *
 * Sizing (`nodeType`, `numCacheClusters`) is changed in place. What replaces the cache (empty):
 * `replicationGroupId`, the KMS key or at-rest encryption, the subnet group name.
 *
 * ```ts
 * const cache = new Cache("cache", {
 *     vpcId: network.vpcId,
 *     subnetIds: network.subnetIds.isolated,
 *     clientSecurityGroupIds: [app.securityGroupId],
 *     alarmTopicArn: monitoring.alarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
 * });
 * export const cacheHost = cache.primaryEndpoint;
 * ```
 *
 * **Cost**: node price × `numCacheClusters` (cache.t4g.micro ≈ $12/month, cache.t4g.small ≈
 * $24/month; Valkey ≈ 20 % less) + snapshots beyond one free copy ≈ $0.085/GB-month + KMS key
 * $1/month + secret $0.40/month + alarms $0.10/month each (3 per node, 4 with replicas).
 */
export class Cache extends pulumi.ComponentResource {
    /** Host name of the primary (reads and writes). */
    readonly primaryEndpoint: pulumi.Output<string>;
    /** Host name spreading reads over the replicas (the primary when there are none). */
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly replicationGroupId: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret whose value is the AUTH token. */
    readonly authTokenSecretArn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Widgets for the stack dashboard. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: CacheNodes;

    private readonly name: string;

    constructor(name: string, args: CacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Cache", name, {}, opts);
        this.name = name;
        const cfg = normalizeCacheArgs(name, args);

        const key = createKmsKey(
            `${name}-key`,
            { description: `Encrypts cache ${cfg.replicationGroupId} and its AUTH token`, protect: cfg.protect },
            this,
        );
        const securityGroup = createDataStoreSecurityGroup(
            name,
            {
                vpcId: cfg.vpcId,
                port: CACHE_PORT,
                clientSecurityGroupIds: cfg.clientSecurityGroupIds,
                role: "cache",
                description: `Cache ${name}`,
            },
            this,
        );
        const subnetGroup = this.createSubnetGroup(cfg);
        const parameterGroup = this.createParameterGroup(cfg);
        const { authToken, authTokenSecret, authTokenVersion } = this.createAuthToken(key, cfg.protect);
        const replicationGroup = this.createReplicationGroup(cfg, {
            key,
            securityGroup,
            subnetGroup,
            parameterGroup,
            authToken,
        });
        const memberIds = [...Array(cfg.numCacheClusters).keys()].map((i) => memberClusterId(replicationGroup.id, i));
        const alarms = cacheAlarmSpecs(name, memberIds).map(([alarmName, spec]) =>
            createAlarm(alarmName, spec, cfg.alarmRoutes, { parent: this }),
        );

        this.primaryEndpoint = replicationGroup.primaryEndpointAddress;
        this.readerEndpoint = replicationGroup.readerEndpointAddress;
        this.port = pulumi.output(CACHE_PORT);
        this.replicationGroupId = replicationGroup.replicationGroupId;
        this.securityGroupId = securityGroup.securityGroup.id;
        this.authTokenSecretArn = authTokenSecret.arn;
        this.kmsKeyArn = key.key.arn;
        this.dashboardWidgets = cacheWidgets(name, memberIds);
        this.nodes = {
            replicationGroup,
            key,
            securityGroup,
            subnetGroup,
            parameterGroup,
            authToken,
            authTokenSecret,
            authTokenVersion,
            alarms,
        };
        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            securityGroupId: this.securityGroupId,
            authTokenSecretArn: this.authTokenSecretArn,
        });
    }

    private createSubnetGroup(cfg: NormalizedCacheArgs): elasticache.SubnetGroup {
        return new elasticache.SubnetGroup(
            `${this.name}-subnets`,
            {
                name: cfg.replicationGroupId,
                description: `Isolated subnets of ${cfg.replicationGroupId}`,
                subnetIds: cfg.subnetIds,
            },
            { parent: this },
        );
    }

    /**
     * `maxmemory-policy` in a group of the engine's family. The family is in the name: a new major
     * version's group gets a new name, so it is created (and the cache moved to it) before the old
     * one is deleted.
     */
    private createParameterGroup(cfg: NormalizedCacheArgs): elasticache.ParameterGroup {
        const family = cacheParameterGroupFamily(cfg.engine, cfg.engineVersion);
        return new elasticache.ParameterGroup(
            `${this.name}-params`,
            {
                name: `${cfg.replicationGroupId}-${family}`,
                family,
                description: `${cfg.engine} settings of ${cfg.replicationGroupId}`,
                parameters: [{ name: "maxmemory-policy", value: cfg.maxmemoryPolicy }],
            },
            { parent: this, deleteBeforeReplace: false },
        );
    }

    /**
     * The AUTH token (64 characters, within ElastiCache's 16-128 and its character set) and the
     * secret the application reads it from. The token is a secret output of RandomPassword and is
     * marked secret again where it is stored, so no plan or state shows it in clear.
     */
    private createAuthToken(key: KmsKey, protect: boolean) {
        const authToken = new RandomPassword(
            `${this.name}-auth-token`,
            { length: 64, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS },
            { parent: this },
        );
        const authTokenSecret = new secretsmanager.Secret(
            `${this.name}-auth-token`,
            {
                name: secretName(this.name, "auth-token"),
                description: `AUTH token of cache ${this.name}`,
                kmsKeyId: key.key.arn,
                recoveryWindowInDays: requireRecoveryWindow("Cache", this.name, undefined, protect),
            },
            statefulOptions(this, protect),
        );
        const authTokenVersion = new secretsmanager.SecretVersion(
            `${this.name}-auth-token`,
            { secretId: authTokenSecret.id, secretString: pulumi.secret(authToken.result) },
            { parent: this },
        );
        return { authToken, authTokenSecret, authTokenVersion };
    }

    /** The replication group: encrypted at rest and in transit, AUTH required, failover and Multi-AZ from two nodes. */
    private createReplicationGroup(
        cfg: NormalizedCacheArgs,
        deps: {
            key: KmsKey;
            securityGroup: DataStoreSecurityGroup;
            subnetGroup: elasticache.SubnetGroup;
            parameterGroup: elasticache.ParameterGroup;
            authToken: RandomPassword;
        },
    ): elasticache.ReplicationGroup {
        const replicated = cfg.numCacheClusters > 1;
        return new elasticache.ReplicationGroup(
            this.name,
            {
                replicationGroupId: cfg.replicationGroupId,
                description: `${cfg.engine} cache ${this.name}`,
                engine: cfg.engine,
                engineVersion: cfg.engineVersion,
                nodeType: cfg.nodeType,
                numCacheClusters: cfg.numCacheClusters,
                port: CACHE_PORT,
                parameterGroupName: deps.parameterGroup.name,
                subnetGroupName: deps.subnetGroup.name,
                securityGroupIds: [deps.securityGroup.securityGroup.id],
                automaticFailoverEnabled: replicated,
                multiAzEnabled: replicated,
                atRestEncryptionEnabled: true,
                kmsKeyId: deps.key.key.arn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: deps.authToken.result,
                snapshotRetentionLimit: cfg.snapshotRetentionDays,
                snapshotWindow: cfg.snapshotWindow,
                maintenanceWindow: cfg.maintenanceWindow,
                finalSnapshotIdentifier: cfg.protect ? `${cfg.replicationGroupId}-final` : undefined,
                autoMinorVersionUpgrade: true,
                applyImmediately: cfg.applyImmediately,
                tags: { Name: cfg.replicationGroupId },
            },
            statefulOptions(this, cfg.protect),
        );
    }
}

/**
 * The cache's alarms as `[logical name, spec]`, per member node. ElastiCache publishes engine and
 * host metrics per node, under `CacheClusterId` = the member cluster `<replicationGroupId>-00n`
 * (there is no replication-group-wide EngineCPUUtilization or DatabaseMemoryUsagePercentage).
 * Every member is alarmed, since any of them may be the primary after a failover. Pure: in the
 * component the IDs are built from the group's output, so each alarm depends on the replication
 * group (how the policy pack links alarms at preview); in tests they are plain strings.
 */
export function cacheAlarmSpecs(name: string, memberIds: pulumi.Input<string>[]): [string, AlarmSpec][] {
    const replicated = memberIds.length > 1;
    return memberIds.flatMap((memberId, i): [string, AlarmSpec][] => {
        const node = `${name}-node-${i + 1}`;
        const metric = (metricName: string, statistic: string) => ({
            namespace: "AWS/ElastiCache",
            metricName,
            statistic,
            dimensions: { CacheClusterId: memberId },
        });
        const specs: [string, AlarmSpec][] = [
            [
                `${node}-engine-cpu-high`,
                {
                    description: `Cache node ${i + 1} of ${name}: the engine thread is above 80 % CPU for 15 minutes; commands queue up. Look for slow commands (SLOWLOG) or move to a larger node type.`,
                    severity: "warning",
                    ...metric("EngineCPUUtilization", "Average"),
                    evaluationPeriods: 3,
                    threshold: 80,
                    comparisonOperator: "GreaterThanThreshold",
                },
            ],
            [
                `${node}-memory-high`,
                {
                    description: `Cache node ${i + 1} of ${name} uses over 80 % of its memory for 15 minutes; evictions (or, with noeviction, write errors) follow. Move to a larger node type or shorten TTLs.`,
                    severity: "warning",
                    ...metric("DatabaseMemoryUsagePercentage", "Average"),
                    evaluationPeriods: 3,
                    threshold: 80,
                    comparisonOperator: "GreaterThanThreshold",
                },
            ],
            [
                `${node}-evictions`,
                {
                    description: `Cache node ${i + 1} of ${name} evicted over 100 keys in 5 minutes: it is full and dropping data the application may still need.`,
                    severity: "warning",
                    ...metric("Evictions", "Sum"),
                    threshold: 100,
                    comparisonOperator: "GreaterThanThreshold",
                },
            ],
        ];
        if (replicated) {
            // Published only by the node that is currently a replica; the primary's silence is not breaching.
            specs.push([
                `${node}-replication-lag`,
                {
                    description: `Cache node ${i + 1} of ${name} is over 30 s behind the primary for 15 minutes: reads from replicas are stale and a failover would lose writes.`,
                    severity: "warning",
                    ...metric("ReplicationLag", "Maximum"),
                    evaluationPeriods: 3,
                    threshold: 30,
                    comparisonOperator: "GreaterThanThreshold",
                },
            ]);
        }
        return specs;
    });
}

/**
 * The cache's dashboard widgets, one row per member node. Each statistic fits its metric:
 * `CurrConnections` is a gauge sampled every minute, so a 5-minute `Sum` would show five times the
 * real count; `Evictions` counts events per sample, so it is summed.
 */
export function cacheWidgets(name: string, memberIds: pulumi.Input<string>[]): DashboardWidget[] {
    const rows = (metric: string) => memberIds.map((id) => ["AWS/ElastiCache", metric, "CacheClusterId", id]);
    const widgets = [
        metricWidget(`${name}: engine CPU %`, rows("EngineCPUUtilization")),
        metricWidget(`${name}: memory %`, rows("DatabaseMemoryUsagePercentage")),
        metricWidget(`${name}: connections`, rows("CurrConnections"), { stat: "Maximum" }),
        metricWidget(`${name}: evictions`, rows("Evictions"), { stat: "Sum" }),
    ];
    if (memberIds.length > 1) {
        widgets.push(metricWidget(`${name}: replication lag (s)`, rows("ReplicationLag"), { stat: "Maximum" }));
    }
    return widgets;
}

const NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
const REPLICATION_GROUP_ID = /^[a-z](?!.*--)[a-z0-9-]{0,39}(?<!-)$/;

type NormalizedCacheArgs = ReturnType<typeof normalizeCacheArgs>;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeCacheArgs(name: string, args: CacheArgs) {
    const check = new ArgChecker("Cache", name, args);
    if (args.subnetIds.length < 1) {
        check.fail("subnetIds", "is empty; a cache subnet group needs at least one subnet");
    }
    if (!args.alarmTopicArn) {
        check.fail(
            "alarmTopicArn",
            "is not set; a cache without engine-CPU and memory alarms fails the policy pack (alarm-redis)",
        );
    }
    const engine = check.oneOf("engine", args.engine ?? "redis", CACHE_ENGINES);
    const engineVersion = args.engineVersion ?? CACHE_DEFAULT_VERSIONS[engine];
    check.rule("engineVersion", engineVersion, cacheVersionProblem(engine, engineVersion));
    // ElastiCache's shortest snapshot and maintenance windows are 60 minutes (ReplicationGroup docs).
    const snapshotWindow = args.snapshotWindow ?? "02:00-03:00";
    check.rule("snapshotWindow", snapshotWindow, dailyWindowProblem(snapshotWindow, 60));
    const maintenanceWindow = (args.maintenanceWindow ?? "sun:05:00-sun:06:00").toLowerCase();
    check.rule("maintenanceWindow", maintenanceWindow, weeklyWindowProblem(maintenanceWindow, 60));
    return {
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        clientSecurityGroupIds: args.clientSecurityGroupIds ?? [],
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        engine,
        engineVersion,
        nodeType: check.match(
            "nodeType",
            args.nodeType ?? "cache.t4g.micro",
            NODE_TYPE,
            "expected an ElastiCache node type such as cache.t4g.micro",
        ),
        numCacheClusters: check.int("numCacheClusters", 2, 1, 6),
        snapshotRetentionDays: check.int("snapshotRetentionDays", 7, 1, 35),
        snapshotWindow,
        maintenanceWindow,
        maxmemoryPolicy: check.oneOf("maxmemoryPolicy", args.maxmemoryPolicy ?? "volatile-lru", MAXMEMORY_POLICIES),
        replicationGroupId: check.match(
            "replicationGroupId",
            args.replicationGroupId ?? stackScopedName(name, 40),
            REPLICATION_GROUP_ID,
            "a replication group ID is 1-40 lower-case letters, digits and single hyphens, starting with a letter",
        ),
        applyImmediately: args.applyImmediately ?? false,
        protect: args.protect ?? false,
    };
}
