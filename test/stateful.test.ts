import { expect } from "chai";
import { PlannedResource } from "../tools/plan-types";
import { runIndex, stackConfig } from "./helpers";

/**
 * Properties whose change makes AWS (and so `pulumi up`) replace the resource, per stateful type.
 * A sizing change must leave every one of them, and every stateful URN, as it was.
 */
const REPLACEMENT_FORCING: Record<string, string[]> = {
    "aws:rds/instance:Instance": [
        "identifier",
        "engine",
        "storageEncrypted",
        "kmsKeyId",
        "dbSubnetGroupName",
        "username",
        "dbName",
        "replicateSourceDb",
    ],
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        "replicationGroupId",
        "atRestEncryptionEnabled",
        "kmsKeyId",
        "subnetGroupName",
    ],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:kms/key:Key": ["keyUsage", "customerMasterKeySpec", "region"],
    "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
    "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
    "aws:rds/subnetGroup:SubnetGroup": ["name"],
    "aws:elasticache/subnetGroup:SubnetGroup": ["name"],
    "aws:ecr/repository:Repository": ["name", "encryptionConfigurations"],
    // Replacing a user pool loses every user (provider: name, alias/username attributes, schema).
    "aws:cognito/userPool:UserPool": [
        "name",
        "aliasAttributes",
        "usernameAttributes",
        "usernameConfiguration",
        "schemas",
    ],
};

function fingerprint(resources: PlannedResource[]) {
    return resources
        .filter((r) => r.type in REPLACEMENT_FORCING)
        .map((r) => ({ urn: r.urn, ...Object.fromEntries(REPLACEMENT_FORCING[r.type].map((p) => [p, r.props[p]])) }))
        .sort((a, b) => a.urn.localeCompare(b.urn));
}

describe("stateful resources across sizing changes (whole stack)", () => {
    for (const environment of ["dev", "prod"] as const) {
        it(`${environment}: resizing the database, cache, backups, queues and services keeps every stateful URN and replacement-forcing property`, async () => {
            const before = await runIndex(environment, stackConfig(environment));
            const resized = await runIndex(
                environment,
                stackConfig(environment, {
                    database: {
                        instanceClass: "db.r6g.large",
                        allocatedStorageGb: 500,
                        maxAllocatedStorageGb: 1000,
                        iops: 12000,
                        storageThroughputMiBps: 500,
                        backupRetentionDays: 35,
                        maxConnections: 400,
                    },
                    cache: { nodeType: "cache.r7g.large", numCacheClusters: 3, snapshotRetentionDays: 14 },
                    queues: { jobs: { visibilityTimeoutSeconds: 900, maxReceiveCount: 10 } },
                    storage: { uploads: { transitionToIaDays: 60, noncurrentVersionExpirationDays: 180 } },
                    auth: { passwordMinLength: 16, accessTokenMinutes: 30, selfSignUp: true },
                    // Listing services replaces the tier's list, so prod lists all four.
                    services: {
                        api: { cpu: 1024, memory: 4096, desiredCount: 3, minCount: 3, maxCount: 12 },
                        ...(environment === "prod"
                            ? { worker: { cpu: 512, memory: 2048 }, scheduler: {}, notifier: {} }
                            : {}),
                    },
                }),
            );
            const a = fingerprint(before.resources);
            const b = fingerprint(resized.resources);
            expect(a.length).to.be.greaterThan(10);
            expect(b).to.deep.equal(a);
            // The resize did change what it should have.
            const instance = (rec: typeof before) =>
                rec.ofType("aws:rds/instance:Instance").find((r) => !r.props.replicateSourceDb)!;
            expect(instance(before).props.instanceClass).to.not.equal("db.r6g.large");
            expect(instance(resized).props).to.include({ instanceClass: "db.r6g.large", allocatedStorage: 500 });
            // Services keep their names (a new name would be a second service) and their repository.
            const services = (rec: typeof before) =>
                rec.ofType("aws:ecs/service:Service").map((r) => [r.urn, r.props.name, r.props.cluster]);
            expect(services(resized)).to.deep.equal(services(before));
            const apiTask = (rec: typeof before) =>
                rec.ofType("aws:ecs/taskDefinition:TaskDefinition").find((r) => r.name === "api")!;
            expect(apiTask(resized).props).to.include({ cpu: "1024", memory: "4096" });
            expect(apiTask(before).props.cpu).to.not.equal("1024");
        });
    }

    it("prod protects every stateful resource and keeps a final snapshot and deletion protection on the database", async () => {
        const prod = await runIndex("prod", stackConfig("prod"));
        const stateful = prod.resources.filter(
            (r) => r.type in REPLACEMENT_FORCING && !r.type.endsWith("subnetGroup:SubnetGroup"),
        );
        expect(stateful.length).to.be.greaterThan(10);
        for (const r of stateful) {
            expect(r.options, `${r.type} ${r.name}`).to.include({ protect: true, retainOnDelete: true });
        }
        const [db] = prod.ofType("aws:rds/instance:Instance");
        expect(db.props).to.include({
            deletionProtection: true,
            skipFinalSnapshot: false,
            multiAz: true,
            backupRetentionPeriod: 30,
            storageEncrypted: true,
        });
        expect(db.props.finalSnapshotIdentifier).to.be.a("string").and.not.equal("");
    });

    it("dev is cheap: single-AZ database, one cache node, 1-day backups, one NAT gateway, nothing protected", async () => {
        const dev = await runIndex("dev", stackConfig("dev"));
        const [db] = dev.ofType("aws:rds/instance:Instance");
        expect(db.props).to.include({ multiAz: false, backupRetentionPeriod: 1, instanceClass: "db.t4g.micro" });
        const [cache] = dev.ofType("aws:elasticache/replicationGroup:ReplicationGroup");
        expect(cache.props).to.include({ numCacheClusters: 1, nodeType: "cache.t4g.micro" });
        expect(dev.ofType("aws:ec2/natGateway:NatGateway")).to.have.length(1);
        expect(dev.resources.filter((r) => r.options.protect)).to.deep.equal([]);
    });

    it("no secret value appears in clear text in any resource input", async () => {
        const prod = await runIndex("prod", stackConfig("prod"));
        const passwords = prod.ofType("random:index/randomPassword:RandomPassword");
        expect(passwords.length).to.be.greaterThan(0);
        const text = JSON.stringify(prod.resources.map((r) => r.props));
        // The mocks' random results start with "mock-"; none may reach an input unmarked.
        expect(text).to.not.match(/"mock-[0-9a-f]{6,}/);
        // Every secret value and the cache AUTH token reach the engine marked secret.
        const versions = prod.ofType("aws:secretsmanager/secretVersion:SecretVersion");
        expect(versions.map((v) => v.name)).to.include.members(["secrets-jwt-signing-key", "cache-auth-token"]);
        expect(versions.map((v) => v.props.secretString)).to.satisfy((values: unknown[]) =>
            values.every((v) => v === "[secret]"),
        );
        const [group] = prod.ofType("aws:elasticache/replicationGroup:ReplicationGroup");
        expect(group.props.authToken).to.equal("[secret]");
    });
});
