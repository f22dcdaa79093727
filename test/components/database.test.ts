import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fc from "fast-check";
import { AppSecurityGroup } from "../../components/app-security-group";
import {
    Database,
    DatabaseArgs,
    databaseAlarmSpecs,
    normalizeDatabaseArgs,
    postgresFamily,
} from "../../components/database";
import { Recorded, promiseOf, run } from "../helpers";

const INSTANCE = "aws:rds/instance:Instance";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const KEY = "aws:kms/key:Key";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";
const GIB = 1024 ** 3;

const base: DatabaseArgs = {
    vpcId: "vpc-0123",
    subnetIds: ["subnet-a", "subnet-b"],
    clientSecurityGroupIds: ["sg-app"],
    alarmTopicArn: TOPIC,
};

async function database(args: Partial<DatabaseArgs> = {}): Promise<{ rec: Recorded; db: Database }> {
    let db: Database | undefined;
    const rec = await run(() => {
        db = new Database("db", { ...base, ...args });
    });
    return { rec, db: db! };
}

/** The one resource of `type` named `name` (a component and its main child share a name). */
const primaryOf = (rec: Recorded) => rec.one(INSTANCE, "db");
const keyOf = (rec: Recorded) => rec.one(KEY, "db-key");

describe("Database", () => {
    it("runs PostgreSQL 16 on 20 GiB of gp3 with autoscaling, in the given subnets, never public", async () => {
        const { rec } = await database();
        const db = primaryOf(rec);
        expect(db.props).to.include({
            engine: "postgres",
            engineVersion: "16",
            instanceClass: "db.t4g.micro",
            storageType: "gp3",
            allocatedStorage: 20,
            maxAllocatedStorage: 100,
            publiclyAccessible: false,
            port: 5432,
            identifier: "groundwork-test-db",
        });
        // gp3 below 400 GiB has a fixed baseline: neither may be set.
        expect(db.props).not.to.have.any.keys("iops", "storageThroughput", "password");
        const subnetGroup = rec.named("db-subnets");
        expect(subnetGroup.props.subnetIds).to.deep.equal(["subnet-a", "subnet-b"]);
        expect(db.propertyDependencies.dbSubnetGroupName).to.deep.equal([subnetGroup.urn]);
    });

    it("sets gp3 IOPS and throughput only from 400 GiB", async () => {
        const { rec } = await database({
            allocatedStorageGb: 400,
            maxAllocatedStorageGb: 1000,
            iops: 12000,
            storageThroughputMiBps: 500,
        });
        expect(primaryOf(rec).props).to.include({ allocatedStorage: 400, iops: 12000, storageThroughput: 500 });
        expect(() => normalizeDatabaseArgs("db", { ...base, allocatedStorageGb: 399, iops: 12000 })).to.throw(
            /args\.iops is 12000, which cannot be set with allocatedStorageGb 399; gp3 below 400 GiB/,
        );
    });

    it("encrypts storage, Performance Insights and the master secret with its own rotating key", async () => {
        const { rec } = await database();
        const db = primaryOf(rec);
        const key = keyOf(rec);
        expect(key.props).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(db.props).to.include({
            storageEncrypted: true,
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: 7,
        });
        for (const prop of ["kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"]) {
            expect(db.propertyDependencies[prop], prop).to.deep.equal([key.urn]);
        }
    });

    it("lets RDS generate the master password in Secrets Manager: no password in inputs, the secret ARN as an output", async () => {
        const { rec, db } = await database();
        expect(primaryOf(rec).props).to.include({ manageMasterUserPassword: true, username: "dbadmin", dbName: "app" });
        expect(JSON.stringify(rec.resources.map((r) => r.props))).not.to.match(/"password"/i);
        expect(await promiseOf(db.masterUserSecretArn)).to.match(
            /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/,
        );
    });

    it("enforces TLS and logs DDL and slow statements through a parameter group of the version's family", async () => {
        const { rec } = await database({ maxConnections: 250 });
        const group = rec.named("db-params");
        expect(group.props).to.include({ family: "postgres16", namePrefix: "groundwork-test-db-postgres16-" });
        const params = Object.fromEntries(
            (group.props.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]),
        );
        expect(params).to.deep.equal({
            "rds.force_ssl": "1",
            log_statement: "ddl",
            log_min_duration_statement: "1000",
            max_connections: "250",
        });
        // A new family replaces the group: the replacement must exist before the old one goes.
        expect(group.options.deleteBeforeReplace).to.equal(false);
        expect(primaryOf(rec).propertyDependencies.parameterGroupName).to.deep.equal([group.urn]);
        expect(postgresFamily("17.2")).to.equal("postgres17");
    });

    it("exports PostgreSQL logs into encrypted log groups that exist before the instance", async () => {
        const { rec } = await database({ logRetentionDays: 30 });
        const db = primaryOf(rec);
        expect(db.props.enabledCloudwatchLogsExports).to.deep.equal(["postgresql", "upgrade"]);
        const groups = ["postgresql", "upgrade"].map((log) => rec.named(`db-log-${log}`));
        expect(groups.map((g) => g.props.name)).to.deep.equal([
            "/aws/rds/instance/groundwork-test-db/postgresql",
            "/aws/rds/instance/groundwork-test-db/upgrade",
        ]);
        for (const group of groups) {
            expect(group.props.retentionInDays, group.name).to.equal(30);
            expect(group.propertyDependencies.kmsKeyId, group.name).to.deep.equal([keyOf(rec).urn]);
        }
        expect(db.dependencies).to.include.members(groups.map((g) => g.urn));
        const policy = JSON.parse(keyOf(rec).props.policy as string);
        const logs = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsEncryptsLogGroups");
        expect(logs.Principal.Service).to.equal("logs.us-east-1.amazonaws.com");
        // Only this database's log groups may use the key.
        expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal([
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/groundwork-test-db/*",
        ]);
    });

    it("puts the monitoring role under the given permissions boundary", async () => {
        const boundary = "arn:aws:iam::123456789012:policy/groundwork-test-boundary";
        const { rec } = await database({ permissionsBoundaryArn: boundary });
        expect(rec.one("aws:iam/role:Role", "db-monitoring").props).to.include({
            permissionsBoundary: boundary,
            // The stack's IAM path, where a bounded deploy role may manage it.
            path: "/groundwork/test/",
        });
        const plain = (await database()).rec.one("aws:iam/role:Role", "db-monitoring");
        expect(plain.props).not.to.have.property("permissionsBoundary");
    });

    it("runs enhanced monitoring every 60 s through a role with the AWS managed policy", async () => {
        const { rec } = await database();
        const role = rec.one("aws:iam/role:Role", "db-monitoring");
        const trust = JSON.parse(role.props.assumeRolePolicy as string).Statement[0];
        expect(trust.Principal.Service).to.equal("monitoring.rds.amazonaws.com");
        expect(trust.Condition.StringEquals["aws:SourceAccount"]).to.equal("123456789012");
        const attachment = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")[0];
        expect(attachment.props.policyArn).to.equal(
            "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        );
        const db = primaryOf(rec);
        expect(db.props.monitoringInterval).to.equal(60);
        expect(db.propertyDependencies.monitoringRoleArn).to.deep.equal([role.urn]);
        expect(db.dependencies).to.include(attachment.urn);
    });

    it("backs up 03:00-04:00 and maintains Sun 04:00-05:00 UTC, copies tags to snapshots, upgrades minors", async () => {
        const { rec } = await database();
        expect(primaryOf(rec).props).to.include({
            backupWindow: "03:00-04:00",
            maintenanceWindow: "sun:04:00-sun:05:00",
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            deleteAutomatedBackups: false,
        });
    });

    it("prod database is Multi-AZ, keeps 30 days of backups, refuses deletion, takes a final snapshot and is protected", async () => {
        const { rec } = await database({ multiAz: true, backupRetentionDays: 30, protect: true });
        const db = primaryOf(rec);
        expect(db.props).to.include({
            multiAz: true,
            backupRetentionPeriod: 30,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "groundwork-test-db-final",
        });
        expect(db.options).to.include({ protect: true, retainOnDelete: true });
        expect(keyOf(rec).options).to.include({ protect: true, retainOnDelete: true });
    });

    it("dev database is single-AZ with a day of backups, deletable without a final snapshot, unprotected", async () => {
        const { rec } = await database({ multiAz: false, backupRetentionDays: 1 });
        const db = primaryOf(rec);
        expect(db.props).to.include({
            multiAz: false,
            backupRetentionPeriod: 1,
            deletionProtection: false,
            skipFinalSnapshot: true,
        });
        expect(db.props).not.to.have.property("finalSnapshotIdentifier");
        expect(db.options).to.include({ protect: false, retainOnDelete: false });
    });

    it("admits 5432 only from the client groups, by reference, and has no egress; clients get the matching egress", async () => {
        let app: AppSecurityGroup | undefined;
        const rec = await run(() => {
            app = new AppSecurityGroup("app", { vpcId: "vpc-0123" });
            new Database("db", { ...base, clientSecurityGroupIds: [app.securityGroupId, "sg-worker"] });
        });
        const sg = rec.named("db-sg");
        const appSg = rec.one("aws:ec2/securityGroup:SecurityGroup", "app");
        expect(sg.props).not.to.have.any.keys("ingress", "egress");
        expect((sg.props.tags as Record<string, string>)["groundwork:role"]).to.equal("database");
        expect(primaryOf(rec).propertyDependencies.vpcSecurityGroupIds).to.deep.equal([sg.urn]);

        const ingress = rec.ofType(INGRESS).filter((r) => r.propertyDependencies.securityGroupId?.[0] === sg.urn);
        expect(ingress).to.have.length(2);
        for (const rule of ingress) {
            expect(rule.props, rule.name).to.include({ fromPort: 5432, toPort: 5432, ipProtocol: "tcp" });
            expect(rule.props, rule.name).not.to.have.any.keys("cidrIpv4", "cidrIpv6", "prefixListId");
        }
        // Registration order follows input resolution, not declaration: look rules up by source.
        expect(
            ingress.filter((r) => r.propertyDependencies.referencedSecurityGroupId?.[0] === appSg.urn),
        ).to.have.length(1);
        expect(ingress.filter((r) => r.props.referencedSecurityGroupId === "sg-worker")).to.have.length(1);

        const egress = rec.ofType(EGRESS);
        expect(egress.filter((r) => r.propertyDependencies.securityGroupId?.[0] === sg.urn)).to.deep.equal([]);
        const toDb = egress.filter((r) => r.propertyDependencies.referencedSecurityGroupId?.[0] === sg.urn);
        expect(toDb.map((r) => r.props.securityGroupId)).to.have.members([
            await promiseOf(app!.securityGroupId),
            "sg-worker",
        ]);
        for (const rule of toDb) {
            expect(rule.props.fromPort, rule.name).to.equal(5432);
        }
    });

    it("alarms on CPU, free storage, connections and latency, each linked to the instance through its dimensions", async () => {
        const { rec } = await database({ alarmTopicArn: TOPIC, maxConnections: 200 });
        const db = primaryOf(rec);
        const alarms = rec.ofType(ALARM);
        expect(alarms.map((a) => a.name)).to.have.members([
            "db-cpu-high",
            "db-free-storage-critical",
            "db-connections-high",
            "db-free-storage-low",
            "db-read-latency",
            "db-write-latency",
        ]);
        for (const alarm of alarms) {
            expect(alarm.propertyDependencies.dimensions, alarm.name).to.deep.equal([db.urn]);
            expect(alarm.props.dimensions).to.deep.equal({ DBInstanceIdentifier: "groundwork-test-db" });
            expect(alarm.props.alarmActions).to.deep.equal([TOPIC]);
        }
        const props = (n: string) => rec.named(n).props;
        expect(props("db-cpu-high")).to.include({
            metricName: "CPUUtilization",
            threshold: 75,
            evaluationPeriods: 2,
            period: 300,
        });
        expect(props("db-free-storage-critical")).to.include({
            metricName: "FreeStorageSpace",
            threshold: 5 * GIB,
            comparisonOperator: "LessThanThreshold",
        });
        expect(props("db-free-storage-critical").alarmDescription).to.match(/^\[critical\]/);
        expect(props("db-free-storage-low")).to.include({ threshold: 10 * GIB });
        expect(props("db-free-storage-low").alarmDescription).to.match(/^\[warning\]/);
        expect(props("db-connections-high")).to.include({ metricName: "DatabaseConnections", threshold: 160 });
        expect(props("db-read-latency")).to.include({ metricName: "ReadLatency" });
        expect(props("db-write-latency")).to.include({ metricName: "WriteLatency" });
    });

    it("refuses to be created without an alarm topic: a database without alarms fails the pack's alarm-rds", () => {
        const { alarmTopicArn: _omitted, ...withoutTopic } = base;
        expect(() => normalizeDatabaseArgs("db", withoutTopic as DatabaseArgs)).to.throw(
            /^Database "db": args\.alarmTopicArn is not set; .*alarm-rds/,
        );
    });

    it("alarm specs (pure): CPU, storage and connections on every instance, latency on the primary, lag on each replica", () => {
        const specs = databaseAlarmSpecs("db", "db-id", ["replica-1-id"], 100);
        const byName = Object.fromEntries(specs);
        expect(specs.map(([n]) => n)).to.deep.equal([
            "db-cpu-high",
            "db-free-storage-critical",
            "db-connections-high",
            "db-free-storage-low",
            "db-read-latency",
            "db-write-latency",
            "db-replica-1-cpu-high",
            "db-replica-1-free-storage-critical",
            "db-replica-1-connections-high",
            "db-replica-1-lag",
        ]);
        for (const [name, spec] of specs) {
            const expected = name.startsWith("db-replica-1") ? "replica-1-id" : "db-id";
            expect(spec.dimensions, name).to.deep.equal({ DBInstanceIdentifier: expected });
            expect(spec.namespace, name).to.equal("AWS/RDS");
        }
        expect(byName["db-connections-high"]).to.include({ threshold: 80, statistic: "Maximum" });
        expect(byName["db-replica-1-lag"]).to.include({ metricName: "ReplicaLag", threshold: 60 });
    });

    it("read replicas follow the primary's encryption, network and parameters, with their own CPU, storage, connections and lag alarms", async () => {
        const { rec, db } = await database({
            readReplicas: 2,
            replicaInstanceClass: "db.t4g.small",
            alarmTopicArn: TOPIC,
            protect: true,
        });
        const primary = primaryOf(rec);
        const replicas = rec.ofType(INSTANCE).filter((r) => r.name !== "db");
        expect(replicas.map((r) => r.props.identifier)).to.deep.equal([
            "groundwork-test-db-replica-1",
            "groundwork-test-db-replica-2",
        ]);
        for (const replica of replicas) {
            expect(replica.propertyDependencies.replicateSourceDb).to.deep.equal([primary.urn]);
            expect(replica.props).to.include({
                instanceClass: "db.t4g.small",
                storageEncrypted: true,
                publiclyAccessible: false,
                skipFinalSnapshot: true,
                deletionProtection: true,
            });
            expect(replica.props).not.to.have.any.keys(
                "engine",
                "username",
                "dbName",
                "manageMasterUserPassword",
                "backupRetentionPeriod",
                "finalSnapshotIdentifier",
            );
            for (const prop of [
                "dbSubnetGroupName",
                "parameterGroupName",
                "vpcSecurityGroupIds",
                "performanceInsightsKmsKeyId",
            ]) {
                expect(replica.propertyDependencies[prop], prop).to.deep.equal(primary.propertyDependencies[prop]);
            }
            expect(replica.options.protect).to.equal(true);
            const logGroups = rec
                .ofType("aws:cloudwatch/logGroup:LogGroup")
                .filter((g) => (g.props.name as string).startsWith(`/aws/rds/instance/${replica.props.identifier}/`));
            expect(logGroups).to.have.length(2);
            expect(replica.dependencies).to.include.members(logGroups.map((g) => g.urn));
            const linked = rec.ofType(ALARM).filter((a) => a.propertyDependencies.dimensions?.[0] === replica.urn);
            expect(linked.map((a) => a.props.metricName)).to.have.members([
                "CPUUtilization",
                "FreeStorageSpace",
                "DatabaseConnections",
                "ReplicaLag",
            ]);
        }
        expect(await promiseOf(db.replicaAddresses)).to.have.length(2);
        const logs = JSON.parse(keyOf(rec).props.policy as string).Statement.find(
            (s: { Sid: string }) => s.Sid === "CloudWatchLogsEncryptsLogGroups",
        );
        expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal(
            ["groundwork-test-db", "groundwork-test-db-replica-1", "groundwork-test-db-replica-2"].map(
                (id) => `arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/${id}/*`,
            ),
        );
    });

    it("same-region replicas name their source by ARN (they carry the subnet group) and take the source's key", async () => {
        const { rec } = await database({ readReplicas: 1 });
        const replica = rec.one(INSTANCE, "db-replica-1");
        // An identifier with dbSubnetGroupName is refused by RDS (DBSubnetGroupNotAllowedFault).
        expect(replica.props.replicateSourceDb).to.equal("arn:aws:rds:us-east-1:123456789012:db:groundwork-test-db");
        expect(replica.props.dbSubnetGroupName).to.equal("groundwork-test-db");
        // RDS rejects KmsKeyId for a same-region replica: it always uses the source's key.
        expect(replica.props).not.to.have.property("kmsKeyId");
    });

    it("replicas refuse deletion when protected, like the primary", async () => {
        const { rec } = await database({ readReplicas: 1, protect: true });
        expect(rec.one(INSTANCE, "db-replica-1").props.deletionProtection).to.equal(true);
        const dev = await database({ readReplicas: 1 });
        expect(dev.rec.one(INSTANCE, "db-replica-1").props.deletionProtection).to.equal(false);
    });

    it("a pinned minor version turns automatic minor upgrades off (RDS would upgrade it and every later update would ask for a downgrade)", async () => {
        const pinned = await database({ engineVersion: "16.4", readReplicas: 1 });
        expect(primaryOf(pinned.rec).props).to.include({ engineVersion: "16.4", autoMinorVersionUpgrade: false });
        expect(pinned.rec.one(INSTANCE, "db-replica-1").props.autoMinorVersionUpgrade).to.equal(false);
        const major = await database({ engineVersion: "16" });
        expect(primaryOf(major.rec).props).to.include({ engineVersion: "16", autoMinorVersionUpgrade: true });
    });

    it("a major version upgrade must be applied immediately, or the old parameter group cannot be deleted", async () => {
        expect(() => normalizeDatabaseArgs("db", { ...base, allowMajorVersionUpgrade: true })).to.throw(
            /^Database "db": args\.allowMajorVersionUpgrade is true without applyImmediately; .*InvalidDBParameterGroupState/,
        );
        const { rec } = await database({ engineVersion: "17", allowMajorVersionUpgrade: true, applyImmediately: true });
        expect(primaryOf(rec).props).to.include({
            engineVersion: "17",
            allowMajorVersionUpgrade: true,
            applyImmediately: true,
        });
        expect(rec.named("db-params").props.family).to.equal("postgres17");
    });

    it("keeps new instances out of paid RDS Extended Support and refuses PostgreSQL 13, which is past standard support", async () => {
        const { rec } = await database({ readReplicas: 1 });
        expect(primaryOf(rec).props.engineLifecycleSupport).to.equal("open-source-rds-extended-support-disabled");
        expect(() => normalizeDatabaseArgs("db", { ...base, engineVersion: "13" })).to.throw(
            /^Database "db": args\.engineVersion is "13", which is not a supported PostgreSQL version/,
        );
        expect(() => normalizeDatabaseArgs("db", { ...base, engineVersion: "13.20" })).to.throw(/args\.engineVersion /);
    });

    it("runs Database Insights in standard mode on every instance, explicitly", async () => {
        const { rec } = await database({ readReplicas: 1 });
        for (const instance of rec.ofType(INSTANCE)) {
            expect(instance.props.databaseInsightsMode, instance.name).to.equal("standard");
        }
    });

    it("copies automated backups to the DR region, encrypted with a key created there", async () => {
        const { rec } = await database({ drRegion: "us-west-2", backupRetentionDays: 30, protect: true });
        const copy = rec.named("db-dr-backups");
        const drKey = rec.one(KEY, "db-dr-key");
        expect(copy.props).to.include({ region: "us-west-2", retentionPeriod: 30 });
        expect(copy.propertyDependencies.sourceDbInstanceArn).to.deep.equal([primaryOf(rec).urn]);
        expect(copy.propertyDependencies.kmsKeyId).to.deep.equal([drKey.urn]);
        expect(drKey.props).to.include({ region: "us-west-2", enableKeyRotation: true });
        expect(copy.options.protect).to.equal(true);
    });

    it("exposes the connection facts and ARNs as outputs", async () => {
        const { db } = await database();
        expect(await promiseOf(db.endpoint)).to.match(/^groundwork-test-db\..*\.rds\.amazonaws\.com:5432$/);
        expect(await promiseOf(db.port)).to.equal(5432);
        expect(await promiseOf(db.identifier)).to.equal("groundwork-test-db");
        expect(await promiseOf(db.postgresqlLogGroupName)).to.equal("/aws/rds/instance/groundwork-test-db/postgresql");
        expect(await promiseOf(db.databaseName)).to.equal("app");
        expect(await promiseOf(db.username)).to.equal("dbadmin");
        expect(await promiseOf(db.kmsKeyArn)).to.match(/^arn:aws:kms:/);
        expect(await promiseOf(db.securityGroupId)).to.match(/^sg-/);
        const titles = await Promise.all(
            db.dashboardWidgets.map((w) => promiseOf(pulumi.output(w.properties)).then((p) => p.title)),
        );
        expect(titles).to.deep.equal([
            "db: CPU %",
            "db: connections",
            "db: free storage (bytes)",
            "db: read and write latency (s)",
            "db: read and write IOPS",
            "db: freeable memory (bytes)",
        ]);
    });

    it("changing the sizing never replaces the database: same URNs and replacement-forcing properties", async () => {
        // What would replace a stateful resource if it changed, per type.
        const forcing: Record<string, string[]> = {
            [INSTANCE]: [
                "identifier",
                "engine",
                "storageEncrypted",
                "kmsKeyId",
                "dbSubnetGroupName",
                "dbName",
                "username",
                "replicateSourceDb",
            ],
            [KEY]: ["region"],
            "aws:rds/subnetGroup:SubnetGroup": ["name"],
            "aws:rds/parameterGroup:ParameterGroup": ["namePrefix", "family"],
        };
        const fingerprint = (rec: Recorded) =>
            rec.resources
                .filter((r) => r.type in forcing)
                .map((r) => ({ urn: r.urn, ...Object.fromEntries(forcing[r.type].map((p) => [p, r.props[p]])) }));
        const baseline = fingerprint((await database({ readReplicas: 1 })).rec);
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom("db.t4g.small", "db.m7g.large", "db.r6g.xlarge"),
                fc.integer({ min: 20, max: 2000 }),
                fc.boolean(),
                fc.integer({ min: 10, max: 5000 }),
                async (instanceClass, allocatedStorageGb, multiAz, maxConnections) => {
                    const resized = await database({
                        readReplicas: 1,
                        instanceClass,
                        replicaInstanceClass: instanceClass,
                        allocatedStorageGb,
                        maxAllocatedStorageGb: allocatedStorageGb * 2,
                        multiAz,
                        maxConnections,
                    });
                    expect(fingerprint(resized.rec)).to.deep.equal(baseline);
                },
            ),
            { numRuns: 6 },
        );
    });

    const bad: [string, Partial<DatabaseArgs>][] = [
        ["subnetIds", { subnetIds: ["subnet-a"] }],
        ["engineVersion", { engineVersion: "9.6" }],
        ["engineVersion", { engineVersion: "13" }],
        ["allowMajorVersionUpgrade", { allowMajorVersionUpgrade: true, applyImmediately: false }],
        ["username", { username: "1admin" }],
        ["instanceClass", { instanceClass: "m5.large" }],
        ["allocatedStorageGb", { allocatedStorageGb: 10 }],
        ["maxAllocatedStorageGb", { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 }],
        ["storageThroughputMiBps", { storageThroughputMiBps: 500 }],
        ["iops", { allocatedStorageGb: 400, iops: 100 }],
        ["backupRetentionDays", { backupRetentionDays: 0 }],
        ["backupWindow", { backupWindow: "3am" }],
        ["backupWindow", { backupWindow: "03:00-03:15" }],
        ["backupWindow", { backupWindow: "04:30-05:30" }],
        ["maintenanceWindow", { maintenanceWindow: "sun:04:00-sun:04:10" }],
        ["maintenanceWindow", { maintenanceWindow: "sunday" }],
        ["maxConnections", { maxConnections: 1 }],
        ["identifier", { identifier: "Bad_Identifier" }],
        ["username", { username: "rdsadmin" }],
        ["databaseName", { databaseName: "my-db" }],
        ["performanceInsightsRetentionDays", { performanceInsightsRetentionDays: 30 }],
        ["monitoringIntervalSeconds", { monitoringIntervalSeconds: 45 }],
        ["readReplicas", { readReplicas: 6 }],
        ["drRegion", { drRegion: "mars-1" }],
        // Shaped like a region, but not one the provider knows (the old name pattern let it through).
        ["drRegion", { drRegion: "us-east-9" }],
        ["drRegion", { drRegion: "cn-north-1" }],
    ];
    for (const [arg, args] of bad) {
        it(`rejects a bad ${arg} (${JSON.stringify(args[arg as keyof typeof args])}), naming it`, () => {
            expect(() => normalizeDatabaseArgs("db", { ...base, ...args })).to.throw(
                new RegExp(`^Database "db": args\\.${arg} `),
            );
        });
    }
});
