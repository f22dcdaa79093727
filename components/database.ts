import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { policyDocument, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmRoutes, AlarmSpec, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { regionProblem } from "./internal/regions";
import { stackIamPath, stackScopedName, withSuffix } from "./internal/naming";
import {
    GP3_IOPS,
    GP3_THROUGHPUT_MIBPS,
    RDS_STORAGE_GB,
    dailyWindowProblem,
    gp3ProvisioningProblem,
    maxAllocatedStorageProblem,
    minMaxAllocatedStorageGb,
    pinsMinorVersion,
    postgresVersionProblem,
    sqlNameProblem,
    weeklyWindowProblem,
    windowsOverlapProblem,
} from "./internal/rules";
import { DataStoreSecurityGroup, createDataStoreSecurityGroup } from "./internal/security-groups";

export const POSTGRES_PORT = 5432;

/** The logs RDS for PostgreSQL exports to CloudWatch Logs. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** Enhanced-monitoring intervals RDS accepts (0, which turns it off, is not offered: the policy pack requires it). */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;

/**
 * Keep new instances out of paid RDS Extended Support: past a major's end of standard support
 * RDS upgrades the instance instead of charging for it. The API default enrols them; a new
 * instance of a major already past standard support is refused (CreateDBInstance,
 * EngineLifecycleSupport). AWS decides enrolment only at creation: on an existing instance this
 * records the intent without changing its enrolment (terraform-provider-aws#44552).
 */
export const ENGINE_LIFECYCLE_SUPPORT = "open-source-rds-extended-support-disabled";

/** The parameter group family of a PostgreSQL version (`16.4` → `postgres16`). */
export function postgresFamily(engineVersion: string): string {
    return `postgres${engineVersion.split(".")[0]}`;
}

const GIB = 1024 ** 3;

export interface DatabaseArgs {
    /** The VPC the database lives in (the security group is created there). Changing it replaces the security group. */
    vpcId: pulumi.Input<string>;
    /**
     * Subnets of the DB subnet group, in at least two AZs (RDS requires two, Multi-AZ uses them):
     * the VPC's isolated subnets. Changing the list updates the group in place.
     */
    subnetIds: pulumi.Input<string>[];
    /**
     * Security groups allowed to connect on 5432 (the application's). Each gets an ingress rule on
     * the database's group and an egress rule to it on its own group; nothing else can connect.
     * @default [] (nobody can connect)
     */
    clientSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * PostgreSQL version, 14-17: a major (`"16"`: RDS picks the newest minor and upgrades minors in
     * the maintenance window) or `major.minor` (`"16.4"`: a pin, so automatic minor upgrades are
     * turned off — once RDS upgraded the minor, every later update would ask for a downgrade,
     * which RDS refuses; RDS still forces an upgrade when the pinned minor leaves support, and then
     * this must be raised). 13 is refused: past RDS standard support, a new instance would be
     * enrolled in paid Extended Support, which Groundwork disables. A new major needs
     * `allowMajorVersionUpgrade` and `applyImmediately` and brings a new parameter group (created
     * before the old one is deleted).
     * @default "16"
     */
    engineVersion?: string;
    /**
     * Instance class. Changing it modifies the instance in place (a restart, or a failover in
     * Multi-AZ), never a replacement. Cost: db.t4g.micro ≈ $0.016/h ≈ $12/month, db.t4g.small ≈
     * $24/month, doubled by Multi-AZ.
     * @default "db.t4g.micro"
     */
    instanceClass?: string;
    /**
     * Initial gp3 storage in GiB (20-65,536). Growing it is in place; RDS never shrinks storage.
     * Cost: ≈ $0.115/GiB-month (×2 in Multi-AZ).
     * @default 20
     */
    allocatedStorageGb?: number;
    /**
     * Storage autoscaling ceiling in GiB; at least 10 % above `allocatedStorageGb`. Autoscaled
     * storage is billed like allocated storage.
     * @default 100, or 10 % above `allocatedStorageGb` when that is more
     */
    maxAllocatedStorageGb?: number;
    /**
     * Provisioned gp3 IOPS (12,000-64,000). Only from 400 GiB of storage: below that gp3 has a fixed
     * 3,000 IOPS baseline and RDS rejects the setting. Cost: ≈ $0.02 per IOPS-month above the baseline.
     * @default the gp3 baseline
     */
    iops?: number;
    /**
     * Provisioned gp3 throughput in MiB/s (500-4,000), only from 400 GiB of storage (see `iops`).
     * @default the gp3 baseline
     */
    storageThroughputMiBps?: number;
    /**
     * A synchronous standby in a second AZ with automatic failover (1-2 minutes). Doubles the
     * instance and storage cost.
     * @default true
     */
    multiAz?: boolean;
    /**
     * Days of automated backups (1-35), which also bounds point-in-time recovery: RDS ships the
     * transaction log every 5 minutes, so the RPO is under 5 minutes within this window.
     * Backup storage up to the database size is free.
     * @default 7
     */
    backupRetentionDays?: number;
    /**
     * Daily backup window, UTC (`hh:mm-hh:mm`, at least 30 minutes, not overlapping the maintenance window).
     * @default "03:00-04:00"
     */
    backupWindow?: string;
    /**
     * Weekly maintenance window, UTC (`ddd:hh:mm-ddd:hh:mm`, at least 30 minutes); minor upgrades and pending
     * modifications happen here.
     * @default "sun:04:00-sun:05:00"
     */
    maintenanceWindow?: string;
    /**
     * `max_connections` (10-5,000). A static parameter: a change waits for the next reboot. The
     * connections alarm fires at 80 % of it.
     * @default 100
     */
    maxConnections?: number;
    /**
     * Name of the database created with the instance. Changing it replaces the instance.
     * @default "app"
     */
    databaseName?: string;
    /**
     * Master user name; its password is generated and rotated by RDS in Secrets Manager and never
     * passes through Pulumi. Changing it replaces the instance.
     * @default "dbadmin"
     */
    username?: string;
    /**
     * The RDS identifier (lower-case, ≤ 63). Changing it replaces the instance.
     * @default "<project>-<stack>-<name>"
     */
    identifier?: string;
    /**
     * Performance Insights retention in days: 7 (free), a multiple of 31 up to 713, or 731.
     * @default 7
     */
    performanceInsightsRetentionDays?: number;
    /**
     * Enhanced monitoring interval in seconds (1, 5, 10, 15, 30 or 60). Cost: OS metrics go to
     * CloudWatch Logs (≈ $0.50/GB ingested; about 0.5 GB/month at 60 s).
     * @default 60
     */
    monitoringIntervalSeconds?: number;
    /**
     * Retention of the exported PostgreSQL logs (`postgresql`, `upgrade`), in days: a CloudWatch
     * Logs retention period. These log groups are created here, encrypted with the database key,
     * instead of by RDS (which would keep them forever, unencrypted). Not covered: enhanced
     * monitoring's OS metrics, which RDS writes to the account-wide `RDSOSMetrics` log group it
     * creates itself (not encrypted with this key; its retention is RDS's).
     * @default 365
     */
    logRetentionDays?: number;
    /**
     * Refuse `DeleteDBInstance` until it is switched off.
     * @default `protect`
     */
    deletionProtection?: boolean;
    /**
     * Delete without a final snapshot. When false, deletion takes the snapshot
     * `<identifier>-final` (a stable name: delete the old one before deleting a second time).
     * @default `!protect`
     */
    skipFinalSnapshot?: boolean;
    /**
     * Allow a change of `engineVersion` to a new major version. Requires `applyImmediately`: a
     * deferred major upgrade keeps the instance on the old parameter group until the maintenance
     * window, so deleting that group (which replacing it for the new family does) fails with
     * InvalidDBParameterGroupState. Both may be switched off again after the upgrade.
     * @default false
     */
    allowMajorVersionUpgrade?: boolean;
    /**
     * Apply modifications (instance class, storage, version) now instead of in the next maintenance
     * window. Now means a restart (or failover in Multi-AZ) during the update.
     * @default false
     */
    applyImmediately?: boolean;
    /**
     * Read replicas in the same region (0-5), each with the primary's storage, parameter group,
     * subnet group, monitoring, deletion protection and alarms, encrypted with the primary's key
     * (RDS gives a same-region replica its source's key). Cost: one more instance (and its storage) each.
     * @default 0
     */
    readReplicas?: number;
    /**
     * Instance class of the read replicas.
     * @default `instanceClass`
     */
    replicaInstanceClass?: string;
    /**
     * Region to which automated backups (snapshots and transaction logs) are replicated for disaster
     * recovery, e.g. `us-west-2`; point-in-time restore then works in that region. The copy and
     * its KMS key are created there through the AWS provider v7 per-resource `region`, with the
     * stack's provider and credentials (no second provider). Cost: cross-region transfer
     * ($0.02/GB) + backup storage there ($0.095/GB-month) + a KMS key ($1/month).
     * @default undefined (no copy)
     */
    drRegion?: string;
    /**
     * Days the replicated backups are kept in `drRegion` (1-35).
     * @default `backupRetentionDays`
     */
    drBackupRetentionDays?: number;
    /**
     * ARN of the SNS topic for the database's alarms (CPU, storage, connections, latency; CPU,
     * storage, connections and lag per replica). Required: a database without these alarms fails
     * the policy pack's `alarm-rds`, and alarms without an action fail `alarm-actions`.
     */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the instance, replicas, KMS keys and backup copy (`protect` and `retainOnDelete`);
     * also the default of `deletionProtection` and of taking a final snapshot. Set it in prod.
     * @default false
     */
    protect?: boolean;
    /**
     * A permissions boundary for the IAM role this component creates: a deploy role that may only
     * create roles carrying a boundary (see `GithubDeployRoles`) can then manage this stack.
     * Adding or changing it updates the role in place.
     * @default undefined (no boundary)
     */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

/** The cross-Region automated-backup replication of a {@link Database} (only with `drRegion`) and its key. */
export interface DatabaseDrBackupNodes {
    key: KmsKey;
    replication: rds.InstanceAutomatedBackupsReplication;
}

/** The raw children of a {@link Database}. An interface, so that the component package's schema can carry it. */
export interface DatabaseNodes {
    instance: rds.Instance;
    replicas: rds.Instance[];
    key: KmsKey;
    securityGroup: DataStoreSecurityGroup;
    subnetGroup: rds.SubnetGroup;
    parameterGroup: rds.ParameterGroup;
    logGroups: cloudwatch.LogGroup[];
    monitoringRole: iam.Role;
    drBackups?: DatabaseDrBackupNodes;
    alarms: cloudwatch.MetricAlarm[];
}

/**
 * An RDS for PostgreSQL instance for the application: in the isolated subnets behind its own
 * security group (5432 from the client groups only, no egress), gp3 storage with autoscaling,
 * encrypted with its own customer-managed KMS key (storage, Performance Insights, the master
 * secret and the log groups), TLS enforced by a parameter group (`rds.force_ssl=1`, DDL and slow
 * query logging), the master password generated and rotated by RDS in Secrets Manager, logs
 * exported to CloudWatch (into log groups under the database key; enhanced monitoring's
 * `RDSOSMetrics` group is RDS's own), Performance Insights with Database Insights in standard
 * mode, enhanced monitoring, automated backups with point-in-time recovery, RDS Extended Support
 * disabled, and optionally read replicas and a cross-region backup copy. Alarms on CPU, free
 * storage (critical and warning), connections and latency, per instance.
 *
 * Sizing never replaces the database: `instanceClass`, `allocatedStorageGb`,
 * `maxAllocatedStorageGb`, IOPS, `multiAz`, `maxConnections`, backup settings and windows are
 * modified in place, and the logical and physical names never change. What does replace it
 * (a new, empty database unless restored from a snapshot): `identifier`, `databaseName`,
 * `username`, the engine, `storageEncrypted` and `kmsKeyId` (the key is the component's own and
 * stays), the DB subnet group name (derived from the identifier) and the AZ. The parameter group
 * is named with a prefix so a major version's new family is created before the old one goes.
 *
 * ```ts
 * const db = new Database("database", {
 *     vpcId: network.vpcId,
 *     subnetIds: network.subnetIds.isolated,
 *     clientSecurityGroupIds: [app.securityGroupId],
 *     instanceClass: "db.t4g.small",
 *     backupRetentionDays: 30,
 *     alarmTopicArn: monitoring.alarmTopicArn,
 *     criticalAlarmTopicArn: monitoring.criticalAlarmTopicArn,
 *     protect: true,
 * });
 * export const dbSecretArn = db.masterUserSecretArn;
 * ```
 *
 * **Cost**: instance (db.t4g.micro ≈ $12/month, db.t4g.small ≈ $24/month) × (2 if Multi-AZ) +
 * storage ≈ $0.115/GiB-month × (2 if Multi-AZ) + the same again per read replica + KMS key
 * $1/month + Secrets Manager secret $0.40/month + enhanced monitoring logs ≈ $0.25/month +
 * alarms $0.10/month each (6, plus 4 per replica).
 */
export class Database extends pulumi.ComponentResource {
    /** `address:port`. */
    readonly endpoint: pulumi.Output<string>;
    /** Host name of the primary. */
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** The RDS identifier (the CloudWatch dimension `DBInstanceIdentifier`). */
    readonly identifier: pulumi.Output<string>;
    /** The primary's PostgreSQL log group (`/aws/rds/instance/<id>/postgresql`: errors, slow queries, DDL). */
    readonly postgresqlLogGroupName: pulumi.Output<string>;
    /** The DBI resource ID (`db-…`), what IAM database authentication policies name. */
    readonly resourceId: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the RDS-managed Secrets Manager secret holding the master user name and password. */
    readonly masterUserSecretArn: pulumi.Output<string>;
    readonly databaseName: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Host names of the read replicas, in order. */
    readonly replicaAddresses: pulumi.Output<string[]>;
    /** Widgets for the stack dashboard. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: DatabaseNodes;

    private readonly name: string;

    constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Database", name, {}, opts);
        this.name = name;
        const cfg = normalizeDatabaseArgs(name, args);

        const key = this.createKey(cfg);
        const securityGroup = createDataStoreSecurityGroup(
            name,
            {
                vpcId: cfg.vpcId,
                port: POSTGRES_PORT,
                clientSecurityGroupIds: cfg.clientSecurityGroupIds,
                role: "database",
                description: `PostgreSQL ${name}`,
            },
            this,
        );
        const subnetGroup = this.createSubnetGroup(cfg);
        const parameterGroup = this.createParameterGroup(cfg);
        const monitoring = this.createMonitoringRole(cfg.permissionsBoundaryArn);
        const shared = this.sharedInstanceArgs(cfg, {
            securityGroup,
            subnetGroup,
            parameterGroup,
            monitoringRole: monitoring.role,
        });
        const primary = this.createInstance(cfg, shared, key, monitoring.attachment);
        const replicas = this.createReplicas(cfg, shared, primary.instance, key, monitoring.attachment);
        const drBackups = cfg.drRegion
            ? this.createDrBackups(primary.instance, cfg.drRegion, cfg.drBackupRetentionDays, cfg.protect)
            : undefined;
        const alarms = this.createAlarms(
            cfg,
            primary.instance,
            replicas.map((r) => r.instance),
        );

        const instance = primary.instance;
        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.port = instance.port;
        this.identifier = instance.identifier;
        this.postgresqlLogGroupName = primary.logGroups[POSTGRES_LOG_EXPORTS.indexOf("postgresql")].name;
        this.resourceId = instance.resourceId;
        this.arn = instance.arn;
        this.securityGroupId = securityGroup.securityGroup.id;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
        this.databaseName = instance.dbName;
        this.username = instance.username;
        this.kmsKeyArn = key.key.arn;
        this.replicaAddresses = pulumi.output(replicas.map((r) => r.instance.address));
        this.dashboardWidgets = databaseWidgets(
            name,
            instance.identifier,
            replicas.map((r) => r.instance.identifier),
        );
        this.nodes = {
            instance,
            replicas: replicas.map((r) => r.instance),
            key,
            securityGroup,
            subnetGroup,
            parameterGroup,
            logGroups: [...primary.logGroups, ...replicas.flatMap((r) => r.logGroups)],
            monitoringRole: monitoring.role,
            drBackups,
            alarms,
        };
        this.registerOutputs({
            endpoint: this.endpoint,
            identifier: this.identifier,
            arn: this.arn,
            securityGroupId: this.securityGroupId,
            masterUserSecretArn: this.masterUserSecretArn,
            kmsKeyArn: this.kmsKeyArn,
            replicaAddresses: this.replicaAddresses,
        });
    }

    /** The database's own key: storage, backups, Performance Insights, master secret and the exported logs. */
    private createKey(cfg: NormalizedDatabaseArgs): KmsKey {
        return createKmsKey(
            `${this.name}-key`,
            {
                description: `Encrypts database ${cfg.identifier}: storage, backups, Performance Insights, master secret, logs`,
                cloudWatchLogGroupNames: [cfg.identifier, ...cfg.replicaIdentifiers].map(
                    (id) => `${logGroupPrefix(id)}*`,
                ),
                protect: cfg.protect,
            },
            this,
        );
    }

    private createSubnetGroup(cfg: NormalizedDatabaseArgs): rds.SubnetGroup {
        return new rds.SubnetGroup(
            `${this.name}-subnets`,
            { name: cfg.identifier, description: `Isolated subnets of ${cfg.identifier}`, subnetIds: cfg.subnetIds },
            { parent: this },
        );
    }

    /**
     * TLS only, DDL and slow statements logged. A name prefix, not a name: a new major version
     * changes the family, which replaces the group, and Pulumi creates the replacement (under a
     * new generated name) and moves the instance to it before deleting the old one — which works
     * only if the move is applied now (see `allowMajorVersionUpgrade`).
     */
    private createParameterGroup(cfg: NormalizedDatabaseArgs): rds.ParameterGroup {
        const family = postgresFamily(cfg.engineVersion);
        return new rds.ParameterGroup(
            `${this.name}-params`,
            {
                namePrefix: `${cfg.identifier}-${family}-`,
                family,
                description: `PostgreSQL settings of ${cfg.identifier}`,
                parameters: [
                    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                    { name: "log_statement", value: "ddl", applyMethod: "immediate" },
                    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
                    // Static in PostgreSQL: RDS rejects "immediate" for it.
                    { name: "max_connections", value: String(cfg.maxConnections), applyMethod: "pending-reboot" },
                ],
            },
            { parent: this, deleteBeforeReplace: false },
        );
    }

    /** The role RDS enhanced monitoring assumes to publish OS metrics, limited to this account. */
    private createMonitoringRole(permissionsBoundary: pulumi.Input<string> | undefined): {
        role: iam.Role;
        attachment: iam.RolePolicyAttachment;
    } {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = getPartitionOutput({}, { parent: this }).partition;
        const role = new iam.Role(
            `${this.name}-monitoring`,
            {
                description: `Lets RDS enhanced monitoring of ${this.name} publish OS metrics`,
                // Under the stack's path, where a bounded deploy role may manage it (see stackIamPath).
                path: stackIamPath(),
                permissionsBoundary,
                assumeRolePolicy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "monitoring.rds.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": account } },
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const attachment = new iam.RolePolicyAttachment(
            `${this.name}-monitoring`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            { parent: this },
        );
        return { role, attachment };
    }

    /** What the primary and its replicas share: sizing, network, parameters, protection, monitoring. */
    private sharedInstanceArgs(
        cfg: NormalizedDatabaseArgs,
        deps: {
            securityGroup: DataStoreSecurityGroup;
            subnetGroup: rds.SubnetGroup;
            parameterGroup: rds.ParameterGroup;
            monitoringRole: iam.Role;
        },
    ) {
        return {
            instanceClass: cfg.instanceClass,
            storageType: "gp3",
            maxAllocatedStorage: cfg.maxAllocatedStorageGb,
            iops: cfg.iops,
            storageThroughput: cfg.storageThroughputMiBps,
            storageEncrypted: true,
            port: POSTGRES_PORT,
            dbSubnetGroupName: deps.subnetGroup.name,
            vpcSecurityGroupIds: [deps.securityGroup.securityGroup.id],
            publiclyAccessible: false,
            parameterGroupName: deps.parameterGroup.name,
            multiAz: cfg.multiAz,
            maintenanceWindow: cfg.maintenanceWindow,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: cfg.autoMinorVersionUpgrade,
            applyImmediately: cfg.applyImmediately,
            // Replicas too: a replica can be promoted, and deleting one by mistake costs a rebuild.
            deletionProtection: cfg.deletionProtection,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: cfg.performanceInsightsRetentionDays,
            // Explicit, so the mode (and its cost) is decided here, not by an RDS default.
            // Advanced mode needs 465 days of Performance Insights retention and is billed per vCPU.
            databaseInsightsMode: "standard",
            monitoringInterval: cfg.monitoringIntervalSeconds,
            monitoringRoleArn: deps.monitoringRole.arn,
        };
    }

    private createInstance(
        cfg: NormalizedDatabaseArgs,
        shared: ReturnType<Database["sharedInstanceArgs"]>,
        key: KmsKey,
        monitoringAttachment: iam.RolePolicyAttachment,
    ): { instance: rds.Instance; logGroups: cloudwatch.LogGroup[] } {
        const logGroups = this.createLogGroups(this.name, cfg.identifier, cfg.logRetentionDays, key);
        const instance = new rds.Instance(
            this.name,
            {
                ...shared,
                identifier: cfg.identifier,
                engine: "postgres",
                engineVersion: cfg.engineVersion,
                engineLifecycleSupport: ENGINE_LIFECYCLE_SUPPORT,
                allowMajorVersionUpgrade: cfg.allowMajorVersionUpgrade,
                allocatedStorage: cfg.allocatedStorageGb,
                kmsKeyId: key.key.arn,
                performanceInsightsKmsKeyId: key.key.arn,
                dbName: cfg.databaseName,
                username: cfg.username,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: key.key.arn,
                backupRetentionPeriod: cfg.backupRetentionDays,
                backupWindow: cfg.backupWindow,
                // Kept after deletion until they expire: the last line of defence against a mistaken delete.
                deleteAutomatedBackups: false,
                skipFinalSnapshot: cfg.skipFinalSnapshot,
                finalSnapshotIdentifier: cfg.skipFinalSnapshot ? undefined : `${cfg.identifier}-final`,
                tags: { Name: cfg.identifier },
            },
            // The log groups must exist before RDS exports to them, or RDS creates its own; the
            // monitoring role must carry its policy before RDS first assumes it.
            statefulOptions(this, cfg.protect, { dependsOn: [...logGroups, monitoringAttachment] }),
        );
        return { instance, logGroups };
    }

    /**
     * Same-region read replicas. The source is named by ARN, not identifier: with an explicit
     * `dbSubnetGroupName`, RDS refuses a same-region replica whose source is an identifier
     * (DBSubnetGroupNotAllowedFault); the provider sends the ARN form as a cross-region-style
     * request that allows the subnet group (aws.rds.Instance `replicateSourceDb`;
     * terraform-provider-aws#528, #40426). No `kmsKeyId`: a same-region replica is always
     * encrypted with its source's key, and RDS rejects the parameter for it
     * (CreateDBInstanceReadReplica, KmsKeyId).
     */
    private createReplicas(
        cfg: NormalizedDatabaseArgs,
        shared: ReturnType<Database["sharedInstanceArgs"]>,
        primary: rds.Instance,
        key: KmsKey,
        monitoringAttachment: iam.RolePolicyAttachment,
    ): { instance: rds.Instance; logGroups: cloudwatch.LogGroup[] }[] {
        return cfg.replicaIdentifiers.map((identifier, i) => {
            const replicaName = `${this.name}-replica-${i + 1}`;
            const logGroups = this.createLogGroups(replicaName, identifier, cfg.logRetentionDays, key);
            const instance = new rds.Instance(
                replicaName,
                {
                    ...shared,
                    identifier,
                    instanceClass: cfg.replicaInstanceClass,
                    replicateSourceDb: primary.arn,
                    // The source's key, which the replica's storage already uses.
                    performanceInsightsKmsKeyId: key.key.arn,
                    // The primary's backups hold the data: no automated backups of the replica
                    // (RDS for PostgreSQL supports them on replicas only from 14.1, and they would
                    // double the backup storage), and no final snapshot (DeleteDBInstance requires
                    // SkipFinalSnapshot for a read replica).
                    skipFinalSnapshot: true,
                    tags: { Name: identifier },
                },
                statefulOptions(this, cfg.protect, { dependsOn: [...logGroups, monitoringAttachment] }),
            );
            return { instance, logGroups };
        });
    }

    /**
     * The groups RDS exports an instance's logs to, created here so they are encrypted with the
     * database key and expire (RDS would create them unencrypted and keep them forever). Enhanced
     * monitoring's `RDSOSMetrics` group is not among them: RDS creates that one per account.
     */
    private createLogGroups(
        prefix: string,
        identifier: string,
        retentionInDays: number,
        key: KmsKey,
    ): cloudwatch.LogGroup[] {
        return POSTGRES_LOG_EXPORTS.map(
            (log) =>
                new cloudwatch.LogGroup(
                    `${prefix}-log-${log}`,
                    { name: `${logGroupPrefix(identifier)}${log}`, retentionInDays, kmsKeyId: key.key.arn },
                    { parent: this },
                ),
        );
    }

    /**
     * Replicates automated backups (snapshots and transaction logs) to `region`, encrypted with a
     * key of that region, so the database can be restored to a point in time there if the home
     * region fails.
     */
    private createDrBackups(
        instance: rds.Instance,
        region: string,
        retentionPeriod: number,
        protect: boolean,
    ): { key: KmsKey; replication: rds.InstanceAutomatedBackupsReplication } {
        const key = createKmsKey(
            `${this.name}-dr-key`,
            { description: `Encrypts the ${region} copy of ${this.name}'s backups`, region, protect },
            this,
        );
        const replication = new rds.InstanceAutomatedBackupsReplication(
            `${this.name}-dr-backups`,
            { region, sourceDbInstanceArn: instance.arn, kmsKeyId: key.key.arn, retentionPeriod },
            statefulOptions(this, protect),
        );
        return { key, replication };
    }

    private createAlarms(
        cfg: NormalizedDatabaseArgs,
        instance: rds.Instance,
        replicas: rds.Instance[],
    ): cloudwatch.MetricAlarm[] {
        const specs = databaseAlarmSpecs(
            this.name,
            instance.identifier,
            replicas.map((r) => r.identifier),
            cfg.maxConnections,
        );
        return specs.map(([alarmName, spec]) => createAlarm(alarmName, spec, cfg.alarmRoutes, { parent: this }));
    }
}

/**
 * The database's alarms as `[logical name, spec]`: CPU, critical free storage and connections on
 * every instance, low free storage and read/write latency on the primary, lag on each replica.
 * Pure: the identifiers are the instances' outputs in the component (so each alarm depends on its
 * instance, which is how the policy pack links them) and plain strings in tests.
 */
export function databaseAlarmSpecs(
    name: string,
    primaryIdentifier: pulumi.Input<string>,
    replicaIdentifiers: pulumi.Input<string>[],
    maxConnections: number,
): [string, AlarmSpec][] {
    return [
        ...instanceAlarmSpecs(name, primaryIdentifier, maxConnections),
        [
            `${name}-free-storage-low`,
            {
                description: `Database ${name} has less than 10 GiB free. Storage autoscaling grows it up to the configured maximum; check that ceiling and what is growing.`,
                severity: "warning",
                ...rdsMetric(primaryIdentifier, "FreeStorageSpace", "Minimum"),
                threshold: 10 * GIB,
                comparisonOperator: "LessThanThreshold",
            },
        ],
        [
            `${name}-read-latency`,
            {
                description: `Database ${name} reads take over 20 ms on average for 15 minutes (normal: about 1 ms). Look at Performance Insights for the queries and at storage IOPS.`,
                severity: "warning",
                ...rdsMetric(primaryIdentifier, "ReadLatency", "Average"),
                evaluationPeriods: 3,
                threshold: 0.02,
                comparisonOperator: "GreaterThanThreshold",
            },
        ],
        [
            `${name}-write-latency`,
            {
                description: `Database ${name} writes take over 20 ms on average for 15 minutes (normal: about 1 ms). Check storage IOPS and throughput limits.`,
                severity: "warning",
                ...rdsMetric(primaryIdentifier, "WriteLatency", "Average"),
                evaluationPeriods: 3,
                threshold: 0.02,
                comparisonOperator: "GreaterThanThreshold",
            },
        ],
        ...replicaIdentifiers.flatMap((identifier, i): [string, AlarmSpec][] => {
            const replicaName = `${name}-replica-${i + 1}`;
            return [
                ...instanceAlarmSpecs(replicaName, identifier, maxConnections),
                [
                    `${replicaName}-lag`,
                    {
                        description: `Read replica ${i + 1} of ${name} is over 60 s behind the primary for 10 minutes: readers see stale data. Check the replica's CPU and IOPS and long transactions on the primary.`,
                        severity: "warning",
                        ...rdsMetric(identifier, "ReplicaLag", "Maximum"),
                        evaluationPeriods: 2,
                        threshold: 60,
                        comparisonOperator: "GreaterThanThreshold",
                    },
                ],
            ];
        }),
    ];
}

/** CPU, critical free storage and connections: what every instance, primary or replica, is alarmed on. */
function instanceAlarmSpecs(
    prefix: string,
    identifier: pulumi.Input<string>,
    maxConnections: number,
): [string, AlarmSpec][] {
    return [
        [
            `${prefix}-cpu-high`,
            {
                description: `Database ${prefix} CPU is above 75 % for 10 minutes. Look at Performance Insights for the top queries, or move to a larger instance class.`,
                severity: "critical",
                ...rdsMetric(identifier, "CPUUtilization", "Average"),
                evaluationPeriods: 2,
                threshold: 75,
                comparisonOperator: "GreaterThanThreshold",
            },
        ],
        [
            `${prefix}-free-storage-critical`,
            {
                description: `Database ${prefix} has less than 5 GiB free: writes stop when it is full. Raise the storage (or its autoscaling maximum) now.`,
                severity: "critical",
                ...rdsMetric(identifier, "FreeStorageSpace", "Minimum"),
                threshold: 5 * GIB,
                comparisonOperator: "LessThanThreshold",
            },
        ],
        [
            `${prefix}-connections-high`,
            {
                description: `Database ${prefix} uses over 80 % of its ${maxConnections} connections; new ones are refused at the limit. Check the application's pool sizes or raise max_connections.`,
                severity: "warning",
                ...rdsMetric(identifier, "DatabaseConnections", "Maximum"),
                evaluationPeriods: 2,
                threshold: Math.floor(maxConnections * 0.8),
                comparisonOperator: "GreaterThanThreshold",
            },
        ],
    ];
}

/** The database's dashboard widgets: CPU, connections, free storage and latency of every instance; replica lag. */
export function databaseWidgets(
    name: string,
    primaryIdentifier: pulumi.Input<string>,
    replicaIdentifiers: pulumi.Input<string>[],
): DashboardWidget[] {
    const all = [primaryIdentifier, ...replicaIdentifiers];
    const rows = (metric: string) => all.map((id) => ["AWS/RDS", metric, "DBInstanceIdentifier", id]);
    const widgets = [
        metricWidget(`${name}: CPU %`, rows("CPUUtilization")),
        metricWidget(`${name}: connections`, rows("DatabaseConnections"), { stat: "Maximum" }),
        metricWidget(`${name}: free storage (bytes)`, rows("FreeStorageSpace"), { stat: "Minimum" }),
        metricWidget(`${name}: read and write latency (s)`, [...rows("ReadLatency"), ...rows("WriteLatency")]),
        metricWidget(`${name}: read and write IOPS`, [...rows("ReadIOPS"), ...rows("WriteIOPS")]),
        metricWidget(`${name}: freeable memory (bytes)`, rows("FreeableMemory"), { stat: "Minimum" }),
    ];
    if (replicaIdentifiers.length > 0) {
        widgets.push(
            metricWidget(
                `${name}: replica lag (s)`,
                replicaIdentifiers.map((id) => ["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", id]),
                { stat: "Maximum" },
            ),
        );
    }
    return widgets;
}

/** The metric fields of an RDS alarm on one instance. */
function rdsMetric(identifier: pulumi.Input<string>, metricName: string, statistic: string) {
    return { namespace: "AWS/RDS", metricName, statistic, dimensions: { DBInstanceIdentifier: identifier } };
}

/** Where RDS exports the logs of instance `identifier`: `<prefix><log type>`. */
function logGroupPrefix(identifier: string): string {
    return `/aws/rds/instance/${identifier}/`;
}

interface NormalizedDatabaseArgs {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    clientSecurityGroupIds: pulumi.Input<string>[];
    alarmRoutes: AlarmRoutes;
    engineVersion: string;
    /** Off when `engineVersion` pins a minor. */
    autoMinorVersionUpgrade: boolean;
    instanceClass: string;
    replicaInstanceClass: string;
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
    iops?: number;
    storageThroughputMiBps?: number;
    multiAz: boolean;
    backupRetentionDays: number;
    backupWindow: string;
    maintenanceWindow: string;
    maxConnections: number;
    databaseName: string;
    username: string;
    identifier: string;
    performanceInsightsRetentionDays: number;
    monitoringIntervalSeconds: number;
    logRetentionDays: number;
    deletionProtection: boolean;
    skipFinalSnapshot: boolean;
    allowMajorVersionUpgrade: boolean;
    applyImmediately: boolean;
    readReplicas: number;
    replicaIdentifiers: string[];
    drRegion?: string;
    drBackupRetentionDays: number;
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
}

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const RDS_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeDatabaseArgs(name: string, args: DatabaseArgs): NormalizedDatabaseArgs {
    const check = new ArgChecker("Database", name, args);

    if (args.subnetIds.length < 2) {
        check.fail(
            "subnetIds",
            `lists ${args.subnetIds.length} subnet(s); an RDS subnet group needs subnets in at least two AZs`,
        );
    }
    if (!args.alarmTopicArn) {
        check.fail(
            "alarmTopicArn",
            "is not set; a database without CPU, storage and connection alarms fails the policy pack (alarm-rds)",
        );
    }
    const engineVersion = check.rule(
        "engineVersion",
        args.engineVersion ?? "16",
        postgresVersionProblem(args.engineVersion ?? "16"),
    );
    const instanceClass = check.match(
        "instanceClass",
        args.instanceClass ?? "db.t4g.micro",
        INSTANCE_CLASS,
        "expected an RDS instance class such as db.t4g.micro",
    );
    const replicaInstanceClass = check.match(
        "replicaInstanceClass",
        args.replicaInstanceClass ?? instanceClass,
        INSTANCE_CLASS,
        "expected an RDS instance class such as db.t4g.micro",
    );
    const allocatedStorageGb = check.int("allocatedStorageGb", 20, RDS_STORAGE_GB.min, RDS_STORAGE_GB.max);
    const maxAllocatedStorageGb = check.int(
        "maxAllocatedStorageGb",
        Math.max(100, minMaxAllocatedStorageGb(allocatedStorageGb)),
        RDS_STORAGE_GB.min,
        RDS_STORAGE_GB.max,
    );
    check.rule(
        "maxAllocatedStorageGb",
        maxAllocatedStorageGb,
        maxAllocatedStorageProblem(maxAllocatedStorageGb, allocatedStorageGb),
    );
    for (const [arg, bounds] of [
        ["iops", GP3_IOPS],
        ["storageThroughputMiBps", GP3_THROUGHPUT_MIBPS],
    ] as const) {
        if (args[arg] !== undefined) {
            check.rule(arg, args[arg], gp3ProvisioningProblem(allocatedStorageGb));
            check.int(arg, 0, bounds.min, bounds.max);
        }
    }
    const identifier = check.match(
        "identifier",
        args.identifier ?? stackScopedName(name, 63),
        RDS_IDENTIFIER,
        "an RDS identifier is 1-63 lower-case letters, digits and single hyphens, starting with a letter",
    );
    const username = args.username ?? "dbadmin";
    check.rule("username", username, sqlNameProblem(username, "user"));
    const databaseName = args.databaseName ?? "app";
    check.rule("databaseName", databaseName, sqlNameProblem(databaseName, "database"));
    const piRetention = args.performanceInsightsRetentionDays ?? 7;
    if (!(
        piRetention === 7 ||
        piRetention === 731 ||
        (Number.isInteger(piRetention) && piRetention % 31 === 0 && piRetention >= 31 && piRetention <= 713)
    )) {
        check.fail(
            "performanceInsightsRetentionDays",
            `is ${piRetention}; Performance Insights keeps 7 days, a multiple of 31 up to 713, or 731`,
        );
    }
    const monitoringIntervalSeconds = args.monitoringIntervalSeconds ?? 60;
    if (!(MONITORING_INTERVALS as readonly number[]).includes(monitoringIntervalSeconds)) {
        check.fail(
            "monitoringIntervalSeconds",
            `is ${monitoringIntervalSeconds}; allowed: ${MONITORING_INTERVALS.join(", ")}`,
        );
    }
    const allowMajorVersionUpgrade = args.allowMajorVersionUpgrade ?? false;
    const applyImmediately = args.applyImmediately ?? false;
    if (allowMajorVersionUpgrade && !applyImmediately) {
        check.fail(
            "allowMajorVersionUpgrade",
            "is true without applyImmediately; a major upgrade deferred to the maintenance window keeps the instance on the old parameter group, so replacing that group fails (InvalidDBParameterGroupState). Set applyImmediately: true for the upgrade",
        );
    }
    const backupWindow = args.backupWindow ?? "03:00-04:00";
    check.rule("backupWindow", backupWindow, dailyWindowProblem(backupWindow, 30));
    const maintenanceWindow = (args.maintenanceWindow ?? "sun:04:00-sun:05:00").toLowerCase();
    check.rule("maintenanceWindow", maintenanceWindow, weeklyWindowProblem(maintenanceWindow, 30));
    check.rule("backupWindow", backupWindow, windowsOverlapProblem(backupWindow, maintenanceWindow));
    const protect = args.protect ?? false;
    const backupRetentionDays = check.int("backupRetentionDays", 7, 1, 35);
    const readReplicas = check.int("readReplicas", 0, 0, 5);
    return {
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        clientSecurityGroupIds: args.clientSecurityGroupIds ?? [],
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        engineVersion,
        autoMinorVersionUpgrade: !pinsMinorVersion(engineVersion),
        instanceClass,
        replicaInstanceClass,
        allocatedStorageGb,
        maxAllocatedStorageGb,
        iops: args.iops,
        storageThroughputMiBps: args.storageThroughputMiBps,
        multiAz: args.multiAz ?? true,
        backupRetentionDays,
        backupWindow,
        maintenanceWindow,
        maxConnections: check.int("maxConnections", 100, 10, 5000),
        databaseName,
        username,
        identifier,
        performanceInsightsRetentionDays: piRetention,
        monitoringIntervalSeconds,
        logRetentionDays: check.int("logRetentionDays", 365, 1, 3653),
        deletionProtection: args.deletionProtection ?? protect,
        skipFinalSnapshot: args.skipFinalSnapshot ?? !protect,
        allowMajorVersionUpgrade,
        applyImmediately,
        readReplicas,
        replicaIdentifiers: [...Array(readReplicas).keys()].map((i) => withSuffix(identifier, `-replica-${i + 1}`, 63)),
        drRegion: args.drRegion === undefined ? undefined : checkRegion(check, args.drRegion),
        drBackupRetentionDays: check.int("drBackupRetentionDays", backupRetentionDays, 1, 35),
        permissionsBoundaryArn: args.permissionsBoundaryArn,
        protect,
    };
}

/** The DR region, checked by the same rule as the stack's `aws:region` (the provider's region list). */
function checkRegion(check: ArgChecker<DatabaseArgs>, region: string): string {
    const problem = regionProblem(region);
    return problem === undefined ? region : check.fail("drRegion", problem);
}
