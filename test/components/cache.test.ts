import { expect } from "chai";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
    AUTH_TOKEN_SPECIALS,
    Cache,
    CacheArgs,
    cacheAlarmSpecs,
    cacheParameterGroupFamily,
    cacheWidgets,
    normalizeCacheArgs,
} from "../../components/cache";
import { Recorded, promiseOf, run } from "../helpers";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const KEY = "aws:kms/key:Key";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";

const base: CacheArgs = {
    vpcId: "vpc-0123",
    subnetIds: ["subnet-a", "subnet-b"],
    clientSecurityGroupIds: ["sg-app"],
    alarmTopicArn: TOPIC,
};

async function cache(args: Partial<CacheArgs> = {}): Promise<{ rec: Recorded; cache: Cache }> {
    let created: Cache | undefined;
    const rec = await run(() => {
        created = new Cache("cache", { ...base, ...args });
    });
    return { rec, cache: created! };
}

const groupOf = (rec: Recorded) => rec.one(GROUP, "cache");

describe("Cache", () => {
    it("dev cache is one small node without failover", async () => {
        const { rec } = await cache({ numCacheClusters: 1, snapshotRetentionDays: 1 });
        expect(groupOf(rec).props).to.include({
            engine: "redis",
            engineVersion: "7.1",
            nodeType: "cache.t4g.micro",
            numCacheClusters: 1,
            automaticFailoverEnabled: false,
            multiAzEnabled: false,
            snapshotRetentionLimit: 1,
        });
        expect(groupOf(rec).options).to.include({ protect: false, retainOnDelete: false });
        expect(groupOf(rec).props).not.to.have.property("finalSnapshotIdentifier");
    });

    it("prod cache has two nodes with automatic failover and Multi-AZ, is protected and takes a final snapshot", async () => {
        const { rec } = await cache({ numCacheClusters: 2, nodeType: "cache.t4g.small", protect: true });
        const group = groupOf(rec);
        expect(group.props).to.include({
            numCacheClusters: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            finalSnapshotIdentifier: "groundwork-test-cache-final",
        });
        for (const resource of [
            group,
            rec.one(KEY, "cache-key"),
            rec.one("aws:secretsmanager/secret:Secret", "cache-auth-token"),
        ]) {
            expect(resource.options, resource.name).to.include({ protect: true, retainOnDelete: true });
        }
    });

    it("encrypts at rest with its own key and in transit (required), with an AUTH token", async () => {
        const { rec } = await cache();
        const group = groupOf(rec);
        expect(group.props).to.include({
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: "[secret]",
        });
        expect(group.propertyDependencies.kmsKeyId).to.deep.equal([rec.one(KEY, "cache-key").urn]);
        expect(group.propertyDependencies.authToken).to.deep.equal([
            rec.one("random:index/randomPassword:RandomPassword", "cache-auth-token").urn,
        ]);
    });

    it("generates the AUTH token within ElastiCache's length and character rules", async () => {
        const { rec } = await cache();
        const token = rec.one("random:index/randomPassword:RandomPassword", "cache-auth-token").props;
        expect(token.length).to.be.within(16, 128);
        expect(token.overrideSpecial).to.equal(AUTH_TOKEN_SPECIALS);
        expect(AUTH_TOKEN_SPECIALS).not.to.match(/[@"/]/);
    });

    it("keeps the AUTH token in Secrets Manager under the cache key, and never in clear text anywhere", async () => {
        const { rec, cache: created } = await cache();
        const secret = rec.one("aws:secretsmanager/secret:Secret", "cache-auth-token");
        expect(secret.props).to.include({ name: "groundwork/test/cache/auth-token" });
        expect(secret.propertyDependencies.kmsKeyId).to.deep.equal([rec.one(KEY, "cache-key").urn]);
        const version = rec.one("aws:secretsmanager/secretVersion:SecretVersion", "cache-auth-token");
        expect(version.props.secretString).to.equal("[secret]");
        const token = await promiseOf(created.nodes.authToken.result);
        expect(token).to.have.length(64);
        expect(JSON.stringify(rec.resources.map((r) => r.props))).not.to.include(token);
        expect(await promiseOf(created.authTokenSecretArn)).to.match(
            /^arn:aws:secretsmanager:.*:secret:groundwork\/test\/cache\/auth-token-/,
        );
    });

    it("deletes an unprotected AUTH-token secret at once, so a destroyed dev stack can be recreated; protected keeps 30 days", async () => {
        // A 7-day window keeps the fixed name taken: re-creating the stack within a week fails with
        // "already scheduled for deletion".
        const dev = (await cache()).rec.one("aws:secretsmanager/secret:Secret", "cache-auth-token");
        expect(dev.props.recoveryWindowInDays, "unprotected").to.equal(0);
        const prod = (await cache({ protect: true })).rec.one("aws:secretsmanager/secret:Secret", "cache-auth-token");
        expect(prod.props.recoveryWindowInDays, "protected").to.equal(30);
    });

    it("uses a parameter group of the engine's family, named by family so a new one is created first", async () => {
        for (const [engine, engineVersion, family] of [
            ["redis", "7.1", "redis7"],
            ["valkey", "8.0", "valkey8"],
            ["valkey", "7.2", "valkey7"],
        ]) {
            const { rec } = await cache({ engine, engineVersion });
            const params = rec.one("aws:elasticache/parameterGroup:ParameterGroup", "cache-params");
            expect(params.props).to.include({ family, name: `groundwork-test-cache-${family}` });
            expect(params.props.parameters).to.deep.equal([{ name: "maxmemory-policy", value: "volatile-lru" }]);
            expect(params.options.deleteBeforeReplace).to.equal(false);
            expect(groupOf(rec).propertyDependencies.parameterGroupName).to.deep.equal([params.urn]);
            expect(groupOf(rec).props).to.include({ engine, engineVersion });
        }
        expect(cacheParameterGroupFamily("redis", "7.0")).to.equal("redis7");
    });

    it("lives in the given subnets with snapshot and maintenance windows", async () => {
        const { rec } = await cache();
        const subnets = rec.one("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets");
        expect(subnets.props).to.include({ name: "groundwork-test-cache" });
        expect(subnets.props.subnetIds).to.deep.equal(["subnet-a", "subnet-b"]);
        expect(groupOf(rec).propertyDependencies.subnetGroupName).to.deep.equal([subnets.urn]);
        expect(groupOf(rec).props).to.include({
            snapshotWindow: "02:00-03:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            port: 6379,
        });
    });

    it("admits 6379 only from the client groups, by reference, and has no egress; clients get the matching egress", async () => {
        const { rec } = await cache({ clientSecurityGroupIds: ["sg-app", "sg-worker"] });
        const sg = rec.one("aws:ec2/securityGroup:SecurityGroup", "cache-sg");
        expect(sg.props).not.to.have.any.keys("ingress", "egress");
        expect((sg.props.tags as Record<string, string>)["groundwork:role"]).to.equal("cache");
        const ingress = rec.ofType(INGRESS);
        expect(ingress.map((r) => r.props.referencedSecurityGroupId)).to.have.members(["sg-app", "sg-worker"]);
        for (const rule of ingress) {
            expect(rule.props, rule.name).to.include({ fromPort: 6379, toPort: 6379 });
            expect(rule.propertyDependencies.securityGroupId, rule.name).to.deep.equal([sg.urn]);
            expect(rule.props, rule.name).not.to.have.any.keys("cidrIpv4", "cidrIpv6");
        }
        const egress = rec.ofType(EGRESS);
        expect(egress.map((r) => r.props.securityGroupId)).to.have.members(["sg-app", "sg-worker"]);
        for (const rule of egress) {
            expect(rule.propertyDependencies.referencedSecurityGroupId, rule.name).to.deep.equal([sg.urn]);
            expect(rule.props.fromPort, rule.name).to.equal(6379);
        }
    });

    it("alarms on engine CPU, memory, evictions and replication lag of every member, linked to the replication group", async () => {
        const { rec } = await cache({ numCacheClusters: 2, alarmTopicArn: TOPIC });
        const group = groupOf(rec);
        const alarms = rec.ofType(ALARM);
        expect(alarms).to.have.length(8);
        for (const alarm of alarms) {
            expect(alarm.propertyDependencies.dimensions, alarm.name).to.deep.equal([group.urn]);
            expect(alarm.props.namespace).to.equal("AWS/ElastiCache");
        }
        const members = (metric: string) =>
            alarms
                .filter((a) => a.props.metricName === metric)
                .map((a) => (a.props.dimensions as Record<string, string>).CacheClusterId);
        for (const metric of ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "ReplicationLag"]) {
            expect(members(metric), metric).to.deep.equal(["groundwork-test-cache-001", "groundwork-test-cache-002"]);
        }
    });

    it("has no replication-lag alarm on a single node", async () => {
        const single = await cache({ numCacheClusters: 1, alarmTopicArn: TOPIC });
        expect(single.rec.ofType(ALARM).map((a) => a.props.metricName)).to.have.members([
            "EngineCPUUtilization",
            "DatabaseMemoryUsagePercentage",
            "Evictions",
        ]);
    });

    it("refuses to be created without an alarm topic: a cache without alarms fails the pack's alarm-redis", () => {
        const { alarmTopicArn: _omitted, ...withoutTopic } = base;
        expect(() => normalizeCacheArgs("cache", withoutTopic as CacheArgs)).to.throw(
            /^Cache "cache": args\.alarmTopicArn is not set; .*alarm-redis/,
        );
    });

    it("alarm specs (pure): engine CPU, memory and evictions per member, replication lag only with replicas", () => {
        const specs = cacheAlarmSpecs("cache", ["rg-001", "rg-002"]);
        expect(specs.map(([n]) => n)).to.deep.equal([
            "cache-node-1-engine-cpu-high",
            "cache-node-1-memory-high",
            "cache-node-1-evictions",
            "cache-node-1-replication-lag",
            "cache-node-2-engine-cpu-high",
            "cache-node-2-memory-high",
            "cache-node-2-evictions",
            "cache-node-2-replication-lag",
        ]);
        for (const [name, spec] of specs) {
            expect(spec.dimensions, name).to.deep.equal({
                CacheClusterId: name.startsWith("cache-node-1") ? "rg-001" : "rg-002",
            });
        }
        expect(cacheAlarmSpecs("cache", ["rg-001"]).map(([n]) => n)).not.to.include("cache-node-1-replication-lag");
    });

    it("graphs connections (a per-minute gauge) with Maximum, not Sum, and evictions (a count) with Sum", async () => {
        const widgets = cacheWidgets("cache", ["rg-001", "rg-002"]);
        const props = await Promise.all(widgets.map((w) => promiseOf(pulumi.output(w.properties))));
        const graphing = (metric: string) =>
            props.filter((p) => (p.metrics as unknown[][]).some((row) => row[1] === metric));
        const connections = graphing("CurrConnections");
        expect(connections).to.have.length(1);
        expect(connections[0].stat).to.equal("Maximum");
        expect((connections[0].metrics as unknown[][]).map((row) => row[1])).to.deep.equal([
            "CurrConnections",
            "CurrConnections",
        ]);
        const evictions = graphing("Evictions");
        expect(evictions).to.have.length(1);
        expect(evictions[0].stat).to.equal("Sum");
    });

    it("exposes endpoints, port and ARNs as outputs", async () => {
        const { cache: created } = await cache();
        expect(await promiseOf(created.primaryEndpoint)).to.match(/^master\.groundwork-test-cache\./);
        expect(await promiseOf(created.readerEndpoint)).to.match(/^replica\.groundwork-test-cache\./);
        expect(await promiseOf(created.port)).to.equal(6379);
        expect(await promiseOf(created.replicationGroupId)).to.equal("groundwork-test-cache");
        expect(await promiseOf(created.securityGroupId)).to.match(/^sg-/);
        expect(created.dashboardWidgets).to.have.length(5);
    });

    it("changing node type and count never replaces the cache: same URNs and replacement-forcing properties", async () => {
        const forcing: Record<string, string[]> = {
            [GROUP]: ["replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "subnetGroupName", "engine", "port"],
            [KEY]: ["region"],
            "aws:secretsmanager/secret:Secret": ["name", "kmsKeyId"],
            "aws:elasticache/parameterGroup:ParameterGroup": ["name", "family"],
        };
        const fingerprint = (rec: Recorded) =>
            rec.resources
                .filter((r) => r.type in forcing)
                .map((r) => ({ urn: r.urn, ...Object.fromEntries(forcing[r.type].map((p) => [p, r.props[p]])) }));
        const baseline = fingerprint((await cache()).rec);
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom("cache.t4g.small", "cache.m7g.large", "cache.r7g.xlarge"),
                fc.integer({ min: 1, max: 6 }),
                async (nodeType, numCacheClusters) => {
                    expect(fingerprint((await cache({ nodeType, numCacheClusters })).rec)).to.deep.equal(baseline);
                },
            ),
            { numRuns: 6 },
        );
    });

    const bad: [string, Partial<CacheArgs>][] = [
        ["subnetIds", { subnetIds: [] }],
        ["engine", { engine: "memcached" }],
        ["engineVersion", { engine: "redis", engineVersion: "6.2" }],
        ["engineVersion", { engine: "valkey", engineVersion: "7.1" }],
        ["nodeType", { nodeType: "t4g.micro" }],
        ["numCacheClusters", { numCacheClusters: 0 }],
        ["numCacheClusters", { numCacheClusters: 7 }],
        ["snapshotRetentionDays", { snapshotRetentionDays: 0 }],
        ["snapshotWindow", { snapshotWindow: "2am" }],
        ["snapshotWindow", { snapshotWindow: "02:00-02:30" }],
        ["maintenanceWindow", { maintenanceWindow: "sun:05:00-sun:05:30" }],
        ["maintenanceWindow", { maintenanceWindow: "sun 5:00" }],
        ["maxmemoryPolicy", { maxmemoryPolicy: "random" }],
        ["replicationGroupId", { replicationGroupId: "a-very-long-replication-group-id-over-forty" }],
    ];
    for (const [arg, args] of bad) {
        it(`rejects a bad ${arg} (${JSON.stringify(Object.values(args)[Object.keys(args).length - 1])}), naming it`, () => {
            expect(() => normalizeCacheArgs("cache", { ...base, ...args })).to.throw(
                new RegExp(`^Cache "cache": args\\.${arg} `),
            );
        });
    }
});
