import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { createMocks, MOCK_ACCOUNT_ID, runProgram } from "groundwork/testing";
import { alarmTopic, createPlatform } from "../platform";

// Unit tests of this project's composition under Groundwork's mocks: the provider functions the
// components call (getCallerIdentity, getPartition, getRegion, getAvailabilityZones) get plausible
// answers, so ARNs and policies carry a real-looking account instead of `undefined`.

const REGION = "eu-west-1";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

describe("the platform, with pulumi.runtime.setMocks(createMocks())", () => {
    let platform: ReturnType<typeof createPlatform>;

    before(async () => {
        await pulumi.runtime.setMocks(createMocks(REGION), "consumer", "test", false);
        platform = createPlatform("shop", { alarmTopicArn: alarmTopic("shop").arn, imageTag: "1.0.0" });
    });

    it("puts the database in the VPC's isolated subnets", async () => {
        const isolated = await valueOf(platform.network.isolatedSubnetIds);
        assert.strictEqual(isolated.length, 2);
        assert.deepStrictEqual(await valueOf(platform.database.nodes.subnetGroup.subnetIds), isolated);
        const db = platform.database.nodes.instance;
        assert.strictEqual(await valueOf(db.publiclyAccessible), false);
        assert.strictEqual(await valueOf(db.storageEncrypted), true);
    });

    it("runs the service in the private subnets, in the app security group the database admits", async () => {
        const service = platform.api.nodes.service;
        const network = await valueOf(service.networkConfiguration);
        assert.ok(network, "the service has a network configuration");
        assert.deepStrictEqual(network.subnets, await valueOf(platform.network.privateSubnetIds));
        assert.ok(network.securityGroups?.includes(await valueOf(platform.app.securityGroupId)));
        assert.strictEqual(network.assignPublicIp, false);
    });

    it("gives the service roles of the mocked account, trusted by ECS tasks of that account only", async () => {
        const taskRoleArn = await valueOf(platform.api.taskRoleArn);
        assert.match(taskRoleArn, new RegExp(`^arn:aws:iam::${MOCK_ACCOUNT_ID}:role/`));
        const trust = JSON.parse(await valueOf(platform.api.nodes.taskRole.assumeRolePolicy)) as {
            Statement: { Principal: { Service: string }; Condition: Record<string, Record<string, string>> }[];
        };
        assert.strictEqual(trust.Statement[0].Principal.Service, "ecs-tasks.amazonaws.com");
        assert.strictEqual(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], MOCK_ACCOUNT_ID);
        assert.doesNotMatch(JSON.stringify(trust), /undefined/);
    });

    it("lets the execution role read exactly the database's managed secret", async () => {
        const policy = await valueOf(platform.api.nodes.executionRolePolicy.policy);
        const secretArn = await valueOf(platform.database.masterUserSecretArn);
        assert.match(secretArn, new RegExp(`^arn:aws:secretsmanager:${REGION}:${MOCK_ACCOUNT_ID}:secret:`));
        const statements = (JSON.parse(policy) as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement;
        const reads = statements.filter((st) =>
            ([] as string[]).concat(st.Action).includes("secretsmanager:GetSecretValue"),
        );
        assert.ok(reads.length > 0, "the execution role may read a secret");
        for (const st of reads) {
            // Every statement that reads secrets names exactly this one: no "*", no other secret.
            assert.deepStrictEqual(([] as unknown[]).concat(st.Resource), [secretArn]);
        }
    });
});

describe("the platform, recorded with runProgram() (what the engine would receive)", () => {
    it("declares only private, encrypted data stores and no security group open to the world on 5432", async () => {
        const { resources } = await runProgram({
            project: "consumer",
            stack: "test",
            config: { "aws:region": REGION },
            program: () => {
                createPlatform("shop", { alarmTopicArn: alarmTopic("shop").arn });
            },
        });
        const types = new Set(resources.map((r) => r.type));
        for (const component of ["Vpc", "Database", "Cluster", "FargateService", "AppSecurityGroup"]) {
            assert.ok(types.has(`groundwork:index:${component}`), component);
        }
        const [db] = resources.filter((r) => r.type === "aws:rds/instance:Instance");
        assert.strictEqual(db.props.publiclyAccessible, false);
        const worldOnPostgres = resources.filter(
            (r) =>
                r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                r.props.fromPort === 5432 &&
                r.props.cidrIpv4 === "0.0.0.0/0",
        );
        assert.deepStrictEqual(worldOnPostgres, []);
        // Without an image tag the service waits for its first image with no task running.
        const [service] = resources.filter((r) => r.type === "aws:ecs/service:Service");
        assert.strictEqual(service.props.desiredCount, 0);
    });
});
