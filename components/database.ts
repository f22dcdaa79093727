import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { DataStoreSecurityGroup, createDataStoreSecurityGroup } from "./app-security-group";
import { ComponentArgError, policyDocument, requireInt, stackScopedName, statefulOptions } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { AlarmSpec, DashboardWidget, createAlarm, metricWidget } from "./monitoring";

export const POSTGRES_PORT = 5432;

/** The logs RDS for PostgreSQL exports to CloudWatch Logs. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** PostgreSQL major versions RDS offers and Groundwork supports (each has a `postgres<major>` parameter group family). */
export const POSTGRES_MAJOR_VERSIONS = [13, 14, 15, 16, 17] as const;

/** Enhanced-monitoring intervals RDS accepts (0, which turns it off, is not offered: the policy pack requires it). */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;

/** gp3 on RDS for PostgreSQL: below 400 GiB the baseline (3,000 IOPS, 125 MiB/s) is fixed and may not be set. */
export const GP3_PROVISIONING_MIN_GB = 400;
export const GP3_IOPS = { min: 12000, max: 64000 } as const;
export const GP3_THROUGHPUT_MIBPS = { min: 500, max: 4000 } as const;
export const RDS_STORAGE_GB = { min: 20, max: 65536 } as const;

/** The smallest storage-autoscaling ceiling RDS accepts: 10 % above the allocated storage. */
export function minMaxAllocatedStorageGb(allocatedStorageGb: number): number {
    // Integer arithmetic: 100 * 1.1 is 110.00000000000001 in floating point.
    return Math.ceil((allocatedStorageGb * 11) / 10);
}

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
     * PostgreSQL version: a major (`"16"`, RDS picks the newest minor and upgrades minors in the
     * maintenance window) or `major.minor`. A new major needs `allowMajorVersionUpgrade` and brings
     * a new parameter group (created before the old one is deleted).
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
     * Weekly maintenance window, UTC (`ddd:hh:mm-ddd:hh:mm`); minor upgrades and pending
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
     * Logs retention period. The log groups are created here, encrypted with the database key,
     * instead of by RDS (which would keep them forever, unencrypted).
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
     * Allow a change of `engineVersion` to a new major version.
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
     * Read replicas in the same region (0-5), each with the primary's storage, encryption, parameter
     * group, monitoring and alarms. Cost: one more instance (and its storage) each.
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
     * storage, connections and lag per replica). No alarms when absent.
     * @default undefined
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Protect the instance, replicas, KMS keys and backup copy (`protect` and `retainOnDelete`);
     * also the default of `deletionProtection` and of taking a final snapshot. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/**
 * An RDS for PostgreSQL instance for the application: in the isolated subnets behind its own
 * security group (5432 from the client groups only, no egress), gp3 storage with autoscaling,
 * encrypted with its own customer-managed KMS key (storage, Performance Insights, the master
 * secret and the log groups), TLS enforced by a parameter group (`rds.force_ssl=1`, DDL and slow
 * query logging), the master password generated and rotated by RDS in Secrets Manager, logs
 * exported to CloudWatch, Performance Insights and enhanced monitoring, automated backups with
 * point-in-time recovery, and optionally read replicas and a cross-region backup copy. With an
 * alarm topic: CPU, free storage (critical and warning), connections and latency alarms.
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
 *     subnetIds: network.nodes.subnets.isolated.map((s) => s.id),
 *     clientSecurityGroupIds: [app.securityGroupId],
 *     instanceClass: "db.t4g.small",
 *     backupRetentionDays: 30,
 *     alarmTopicArn: monitoring.alarmTopicArn,
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
    readonly nodes: {
        instance: rds.Instance;
        replicas: rds.Instance[];
        key: KmsKey;
        securityGroup: DataStoreSecurityGroup;
        subnetGroup: rds.SubnetGroup;
        parameterGroup: rds.ParameterGroup;
        logGroups: cloudwatch.LogGroup[];
        monitoringRole: iam.Role;
        drBackups?: { key: KmsKey; replication: rds.InstanceAutomatedBackupsReplication };
        alarms: cloudwatch.MetricAlarm[];
    };

    private readonly name: string;

    constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Database", name, {}, opts);
        this.name = name;
        const cfg = normalizeDatabaseArgs(name, args);

        const replicaIdentifiers = [...Array(cfg.readReplicas).keys()].map((i) => withSuffix(cfg.identifier, `-replica-${i + 1}`, 63));
        const key = createKmsKey(
            `${name}-key`,
            {
                description: `Encrypts database ${cfg.identifier}: storage, backups, Performance Insights, master secret, logs`,
                cloudWatchLogGroupNames: [cfg.identifier, ...replicaIdentifiers].map((id) => `${logGroupPrefix(id)}*`),
                protect: cfg.protect,
            },
            this,
        );
        const securityGroup = createDataStoreSecurityGroup(
            name,
            { vpcId: args.vpcId, port: POSTGRES_PORT, clientSecurityGroupIds: cfg.clientSecurityGroupIds, role: "database", description: `PostgreSQL ${name}` },
            this,
        );
        const subnetGroup = new rds.SubnetGroup(
            `${name}-subnets`,
            { name: cfg.identifier, description: `Isolated subnets of ${cfg.identifier}`, subnetIds: args.subnetIds },
            { parent: this },
        );
        const parameterGroup = this.createParameterGroup(cfg);
        const logGroups = this.createLogGroups(name, cfg.identifier, cfg.logRetentionDays, key);
        const { role: monitoringRole, attachment } = this.createMonitoringRole();

        const shared = {
            instanceClass: cfg.instanceClass,
            storageType: "gp3",
            maxAllocatedStorage: cfg.maxAllocatedStorageGb,
            iops: cfg.iops,
            storageThroughput: cfg.storageThroughputMiBps,
            storageEncrypted: true,
            kmsKeyId: key.key.arn,
            port: POSTGRES_PORT,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [securityGroup.securityGroup.id],
            publiclyAccessible: false,
            parameterGroupName: parameterGroup.name,
            multiAz: cfg.multiAz,
            maintenanceWindow: cfg.maintenanceWindow,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            applyImmediately: cfg.applyImmediately,
            deletionProtection: cfg.deletionProtection,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: key.key.arn,
            performanceInsightsRetentionPeriod: cfg.performanceInsightsRetentionDays,
            monitoringInterval: cfg.monitoringIntervalSeconds,
            monitoringRoleArn: monitoringRole.arn,
        };
        const instance = new rds.Instance(
            name,
            {
                ...shared,
                identifier: cfg.identifier,
                engine: "postgres",
                engineVersion: cfg.engineVersion,
                allowMajorVersionUpgrade: cfg.allowMajorVersionUpgrade,
                allocatedStorage: cfg.allocatedStorageGb,
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
            statefulOptions(this, cfg.protect, { dependsOn: [...logGroups, attachment] }),
        );

        const replicas = replicaIdentifiers.map((identifier, i) => {
            const replicaName = `${name}-replica-${i + 1}`;
            const replicaLogGroups = this.createLogGroups(replicaName, identifier, cfg.logRetentionDays, key);
            logGroups.push(...replicaLogGroups);
            return new rds.Instance(
                replicaName,
                {
                    ...shared,
                    identifier,
                    instanceClass: cfg.replicaInstanceClass,
                    replicateSourceDb: instance.identifier,
                    // The primary's backups hold the data: no automated backups of the replica
                    // (RDS for PostgreSQL supports them on replicas only from 14.1, and they would
                    // double the backup storage), and no final snapshot (DeleteDBInstance requires
                    // SkipFinalSnapshot for a read replica).
                    skipFinalSnapshot: true,
                    tags: { Name: identifier },
                },
                statefulOptions(this, cfg.protect, { dependsOn: [...replicaLogGroups, attachment] }),
            );
        });

        const drBackups = cfg.drRegion ? this.createDrBackups(instance, cfg.drRegion, cfg.drBackupRetentionDays, cfg.protect) : undefined;
        const alarms = args.alarmTopicArn ? this.createAlarms(instance, replicas, cfg.maxConnections, args.alarmTopicArn) : [];

        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.port = instance.port;
        this.identifier = instance.identifier;
        this.resourceId = instance.resourceId;
        this.arn = instance.arn;
        this.securityGroupId = securityGroup.securityGroup.id;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
        this.databaseName = instance.dbName;
        this.username = instance.username;
        this.kmsKeyArn = key.key.arn;
        this.replicaAddresses = pulumi.output(replicas.map((r) => r.address));
        this.dashboardWidgets = this.createWidgets(instance, replicas);
        this.nodes = { instance, replicas, key, securityGroup, subnetGroup, parameterGroup, logGroups, monitoringRole, drBackups, alarms };
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

    /**
     * The groups RDS exports an instance's logs to, created here so they are encrypted with the
     * database key and expire (RDS would create them unencrypted and keep them forever).
     */
    private createLogGroups(prefix: string, identifier: string, retentionInDays: number, key: KmsKey): cloudwatch.LogGroup[] {
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
     * TLS only, DDL and slow statements logged. A name prefix, not a name: a new major version
     * changes the family, which replaces the group, and Pulumi creates the replacement (under a
     * new generated name) and moves the instance to it before deleting the old one.
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
    private createMonitoringRole(): { role: iam.Role; attachment: iam.RolePolicyAttachment } {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = getPartitionOutput({}, { parent: this }).partition;
        const role = new iam.Role(
            `${this.name}-monitoring`,
            {
                description: `Lets RDS enhanced monitoring of ${this.name} publish OS metrics`,
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
            { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole` },
            { parent: this },
        );
        return { role, attachment };
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
        const key = createKmsKey(`${this.name}-dr-key`, { description: `Encrypts the ${region} copy of ${this.name}'s backups`, region, protect }, this);
        const replication = new rds.InstanceAutomatedBackupsReplication(
            `${this.name}-dr-backups`,
            { region, sourceDbInstanceArn: instance.arn, kmsKeyId: key.key.arn, retentionPeriod },
            statefulOptions(this, protect),
        );
        return { key, replication };
    }

    private createAlarms(instance: rds.Instance, replicas: rds.Instance[], maxConnections: number, topicArn: pulumi.Input<string>): cloudwatch.MetricAlarm[] {
        const specs: [string, AlarmSpec][] = [
            ...this.instanceAlarms(this.name, instance, maxConnections),
            [
                `${this.name}-free-storage-low`,
                {
                    description: `Database ${this.name} has less than 10 GiB free. Storage autoscaling grows it up to the configured maximum; check that ceiling and what is growing.`,
                    severity: "warning",
                    ...rdsMetric(instance, "FreeStorageSpace", "Minimum"),
                    threshold: 10 * GIB,
                    comparisonOperator: "LessThanThreshold",
                },
            ],
            [
                `${this.name}-read-latency`,
                {
                    description: `Database ${this.name} reads take over 20 ms on average for 15 minutes (normal: about 1 ms). Look at Performance Insights for the queries and at storage IOPS.`,
                    severity: "warning",
                    ...rdsMetric(instance, "ReadLatency", "Average"),
                    evaluationPeriods: 3,
                    threshold: 0.02,
                    comparisonOperator: "GreaterThanThreshold",
                },
            ],
            [
                `${this.name}-write-latency`,
                {
                    description: `Database ${this.name} writes take over 20 ms on average for 15 minutes (normal: about 1 ms). Check storage IOPS and throughput limits.`,
                    severity: "warning",
                    ...rdsMetric(instance, "WriteLatency", "Average"),
                    evaluationPeriods: 3,
                    threshold: 0.02,
                    comparisonOperator: "GreaterThanThreshold",
                },
            ],
            ...replicas.flatMap((replica, i): [string, AlarmSpec][] => {
                const replicaName = `${this.name}-replica-${i + 1}`;
                return [
                    ...this.instanceAlarms(replicaName, replica, maxConnections),
                    [
                        `${replicaName}-lag`,
                        {
                            description: `Read replica ${i + 1} of ${this.name} is over 60 s behind the primary for 10 minutes: readers see stale data. Check the replica's CPU and IOPS and long transactions on the primary.`,
                            severity: "warning",
                            ...rdsMetric(replica, "ReplicaLag", "Maximum"),
                            evaluationPeriods: 2,
                            threshold: 60,
                            comparisonOperator: "GreaterThanThreshold",
                        },
                    ],
                ];
            }),
        ];
        return specs.map(([alarmName, spec]) => createAlarm(alarmName, spec, topicArn, { parent: this }));
    }

    /** CPU, critical free storage and connections: what every instance, primary or replica, is alarmed on. */
    private instanceAlarms(prefix: string, instance: rds.Instance, maxConnections: number): [string, AlarmSpec][] {
        return [
            [
                `${prefix}-cpu-high`,
                {
                    description: `Database ${prefix} CPU is above 75 % for 10 minutes. Look at Performance Insights for the top queries, or move to a larger instance class.`,
                    severity: "critical",
                    ...rdsMetric(instance, "CPUUtilization", "Average"),
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
                    ...rdsMetric(instance, "FreeStorageSpace", "Minimum"),
                    threshold: 5 * GIB,
                    comparisonOperator: "LessThanThreshold",
                },
            ],
            [
                `${prefix}-connections-high`,
                {
                    description: `Database ${prefix} uses over 80 % of its ${maxConnections} connections; new ones are refused at the limit. Check the application's pool sizes or raise max_connections.`,
                    severity: "warning",
                    ...rdsMetric(instance, "DatabaseConnections", "Maximum"),
                    evaluationPeriods: 2,
                    threshold: Math.floor(maxConnections * 0.8),
                    comparisonOperator: "GreaterThanThreshold",
                },
            ],
        ];
    }

    private createWidgets(instance: rds.Instance, replicas: rds.Instance[]): DashboardWidget[] {
        const all = [instance, ...replicas];
        const rows = (metric: string) => all.map((db) => ["AWS/RDS", metric, "DBInstanceIdentifier", db.identifier]);
        const widgets = [
            metricWidget(`${this.name}: CPU %`, rows("CPUUtilization")),
            metricWidget(`${this.name}: connections`, rows("DatabaseConnections"), { stat: "Maximum" }),
            metricWidget(`${this.name}: free storage (bytes)`, rows("FreeStorageSpace"), { stat: "Minimum" }),
            metricWidget(`${this.name}: read and write latency (s)`, [...rows("ReadLatency"), ...rows("WriteLatency")]),
        ];
        if (replicas.length > 0) {
            widgets.push(
                metricWidget(
                    `${this.name}: replica lag (s)`,
                    replicas.map((r) => ["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", r.identifier]),
                    { stat: "Maximum" },
                ),
            );
        }
        return widgets;
    }
}

/** The metric fields of an RDS alarm; the dimension is the instance's output, so the alarm depends on it. */
function rdsMetric(instance: rds.Instance, metricName: string, statistic: string) {
    return { namespace: "AWS/RDS", metricName, statistic, dimensions: { DBInstanceIdentifier: instance.identifier } };
}

/** Where RDS exports the logs of instance `identifier`: `<prefix><log type>`. */
function logGroupPrefix(identifier: string): string {
    return `/aws/rds/instance/${identifier}/`;
}

/** `base` + `suffix`, cutting `base` (not the suffix) to fit `max`, without a hyphen before the suffix. */
function withSuffix(base: string, suffix: string, max: number): string {
    return `${base.slice(0, max - suffix.length).replace(/-+$/, "")}${suffix}`;
}

interface NormalizedDatabaseArgs {
    clientSecurityGroupIds: pulumi.Input<string>[];
    engineVersion: string;
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
    drRegion?: string;
    drBackupRetentionDays: number;
    protect: boolean;
}

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
/** A PostgreSQL database or user name RDS accepts: a letter, then up to 62 letters, digits or underscores. */
export const SQL_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const RDS_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;
/** A daily window in UTC, `hh:mm-hh:mm` (RDS backups, ElastiCache snapshots). */
export const DAILY_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
/** A weekly window in UTC, `ddd:hh:mm-ddd:hh:mm` (maintenance). */
export const WEEKLY_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
/** An AWS region name such as us-west-2. */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeDatabaseArgs(name: string, args: DatabaseArgs): NormalizedDatabaseArgs {
    const fail = (arg: string, message: string): never => {
        throw new ComponentArgError("Database", name, arg, message);
    };
    const int = (arg: keyof DatabaseArgs, fallback: number, min: number, max: number) =>
        requireInt("Database", name, arg, (args[arg] as number | undefined) ?? fallback, min, max);
    const match = (arg: keyof DatabaseArgs, value: string, pattern: RegExp, expected: string) =>
        pattern.test(value) ? value : fail(arg, `is ${JSON.stringify(value)}; ${expected}`);

    if (args.subnetIds.length < 2) {
        fail("subnetIds", `lists ${args.subnetIds.length} subnet(s); an RDS subnet group needs subnets in at least two AZs`);
    }
    const engineVersion = args.engineVersion ?? "16";
    const major = Number(engineVersion.split(".")[0]);
    if (!/^\d+(\.\d+)?$/.test(engineVersion) || !(POSTGRES_MAJOR_VERSIONS as readonly number[]).includes(major)) {
        fail("engineVersion", `is ${JSON.stringify(engineVersion)}; use a PostgreSQL major version (${POSTGRES_MAJOR_VERSIONS.join(", ")}), optionally with a minor ("16.4")`);
    }
    const instanceClass = match("instanceClass", args.instanceClass ?? "db.t4g.micro", INSTANCE_CLASS, "expected an RDS instance class such as db.t4g.micro");
    const replicaInstanceClass = match("replicaInstanceClass", args.replicaInstanceClass ?? instanceClass, INSTANCE_CLASS, "expected an RDS instance class such as db.t4g.micro");
    const allocatedStorageGb = int("allocatedStorageGb", 20, RDS_STORAGE_GB.min, RDS_STORAGE_GB.max);
    const minMax = minMaxAllocatedStorageGb(allocatedStorageGb);
    const maxAllocatedStorageGb = int("maxAllocatedStorageGb", Math.max(100, minMax), minMax, RDS_STORAGE_GB.max);
    for (const [arg, bounds] of [["iops", GP3_IOPS], ["storageThroughputMiBps", GP3_THROUGHPUT_MIBPS]] as const) {
        if (args[arg] === undefined) {
            continue;
        }
        if (allocatedStorageGb < GP3_PROVISIONING_MIN_GB) {
            fail(arg, `is set, but gp3 below ${GP3_PROVISIONING_MIN_GB} GiB (allocatedStorageGb is ${allocatedStorageGb}) has a fixed baseline of 3,000 IOPS and 125 MiB/s; leave it unset`);
        }
        int(arg, 0, bounds.min, bounds.max);
    }
    const identifier = match("identifier", args.identifier ?? stackScopedName(name, 63), RDS_IDENTIFIER, "an RDS identifier is 1-63 lower-case letters, digits and single hyphens, starting with a letter");
    const username = match("username", args.username ?? "dbadmin", SQL_NAME, "expected a letter then up to 62 letters, digits or underscores");
    if (["rdsadmin", "rdsrepladmin", "rds_superuser"].includes(username.toLowerCase())) {
        fail("username", `is ${JSON.stringify(username)}, which RDS reserves`);
    }
    const piRetention = args.performanceInsightsRetentionDays ?? 7;
    if (!(piRetention === 7 || piRetention === 731 || (Number.isInteger(piRetention) && piRetention % 31 === 0 && piRetention >= 31 && piRetention <= 713))) {
        fail("performanceInsightsRetentionDays", `is ${piRetention}; Performance Insights keeps 7 days, a multiple of 31 up to 713, or 731`);
    }
    const monitoringIntervalSeconds = args.monitoringIntervalSeconds ?? 60;
    if (!(MONITORING_INTERVALS as readonly number[]).includes(monitoringIntervalSeconds)) {
        fail("monitoringIntervalSeconds", `is ${monitoringIntervalSeconds}; allowed: ${MONITORING_INTERVALS.join(", ")}`);
    }
    const protect = args.protect ?? false;
    const backupRetentionDays = int("backupRetentionDays", 7, 1, 35);
    return {
        clientSecurityGroupIds: args.clientSecurityGroupIds ?? [],
        engineVersion,
        instanceClass,
        replicaInstanceClass,
        allocatedStorageGb,
        maxAllocatedStorageGb,
        iops: args.iops,
        storageThroughputMiBps: args.storageThroughputMiBps,
        multiAz: args.multiAz ?? true,
        backupRetentionDays,
        backupWindow: match("backupWindow", args.backupWindow ?? "03:00-04:00", DAILY_WINDOW, "expected hh:mm-hh:mm in UTC"),
        maintenanceWindow: match("maintenanceWindow", (args.maintenanceWindow ?? "sun:04:00-sun:05:00").toLowerCase(), WEEKLY_WINDOW, "expected ddd:hh:mm-ddd:hh:mm in UTC"),
        maxConnections: int("maxConnections", 100, 10, 5000),
        databaseName: match("databaseName", args.databaseName ?? "app", SQL_NAME, "expected a letter then up to 62 letters, digits or underscores"),
        username,
        identifier,
        performanceInsightsRetentionDays: piRetention,
        monitoringIntervalSeconds,
        logRetentionDays: int("logRetentionDays", 365, 1, 3653),
        deletionProtection: args.deletionProtection ?? protect,
        skipFinalSnapshot: args.skipFinalSnapshot ?? !protect,
        allowMajorVersionUpgrade: args.allowMajorVersionUpgrade ?? false,
        applyImmediately: args.applyImmediately ?? false,
        readReplicas: int("readReplicas", 0, 0, 5),
        drRegion: args.drRegion === undefined ? undefined : match("drRegion", args.drRegion, AWS_REGION, "expected an AWS region name such as us-west-2"),
        drBackupRetentionDays: int("drBackupRetentionDays", backupRetentionDays, 1, 35),
        protect,
    };
}
