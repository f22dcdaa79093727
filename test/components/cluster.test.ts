import { expect } from "chai";
import * as fc from "fast-check";
import * as ecs from "@pulumi/aws/ecs";
import {
    Cluster,
    ClusterArgs,
    capacityProviderName,
    ecsOptimizedAmiParameter,
    ecsUserData,
    isGravitonInstanceType,
    normalizeClusterArgs,
} from "../../components/cluster";
import { LOG_RETENTION_DAYS } from "../../components/internal/rules";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean, violationsOf } from "../policy/fixtures";

const T = {
    cluster: "aws:ecs/cluster:Cluster",
    ccp: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    capacityProvider: "aws:ecs/capacityProvider:CapacityProvider",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    service: "aws:ecs/service:Service",
};

const SUBNETS = ["subnet-0aaa", "subnet-0bbb"];
const EC2: ClusterArgs = { capacity: "ec2", vpcId: "vpc-0123", subnetIds: SUBNETS };
const EXEC_GROUP = "/ecs/groundwork-test/exec/sessions";

async function cluster(args: ClusterArgs = {}, withService = false): Promise<{ rec: Recorded; cluster: Cluster }> {
    let created: Cluster | undefined;
    const rec = await run(() => {
        created = new Cluster("cluster", args);
        if (withService) {
            // What a service does with the outputs: its cluster input and capacity strategy.
            new ecs.Service("api", {
                cluster: created.clusterArn,
                desiredCount: 1,
                capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
            });
        }
    });
    return { rec, cluster: created! };
}

interface Statement {
    Sid?: string;
    Effect: string;
    Principal?: { Service?: string | string[]; AWS?: string };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (doc: unknown): Statement[] => JSON.parse(doc as string).Statement;
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe("Cluster", () => {
    describe("on Fargate (the default)", () => {
        let rec: Recorded;
        let created: Cluster;
        before(async () => {
            ({ rec, cluster: created } = await cluster({}, true));
        });

        it("turns on Container Insights with enhanced observability, or standard when asked", async () => {
            expect(rec.one(T.cluster, "cluster").props.settings).to.deep.equal([
                { name: "containerInsights", value: "enhanced" },
            ]);
            const standard = await cluster({ containerInsights: "enabled" });
            expect(standard.rec.one(T.cluster, "cluster").props.settings).to.deep.equal([
                { name: "containerInsights", value: "enabled" },
            ]);
        });

        it("names the cluster after project, stack and component", async () => {
            expect(rec.one(T.cluster, "cluster").props.name).to.equal("groundwork-test-cluster");
            expect(await promiseOf(created.clusterName)).to.equal("groundwork-test-cluster");
        });

        it("logs exec sessions (OVERRIDE) to its own encrypted group and encrypts them with the cluster's key", async () => {
            const ecsCluster = rec.one(T.cluster, "cluster");
            const key = rec.one(T.key, "cluster-key");
            const group = rec.one(T.logGroup, "cluster-exec");
            const keyArn = await promiseOf(created.logsKmsKeyArn);
            expect(ecsCluster.props.configuration).to.deep.equal({
                executeCommandConfiguration: {
                    kmsKeyId: keyArn,
                    logging: "OVERRIDE",
                    logConfiguration: { cloudWatchLogGroupName: EXEC_GROUP, cloudWatchEncryptionEnabled: true },
                },
            });
            expect(ecsCluster.propertyDependencies.configuration).to.have.members([key.urn, group.urn]);
            expect(group.props).to.include({ name: EXEC_GROUP, retentionInDays: 30, kmsKeyId: keyArn });
            expect(group.propertyDependencies.kmsKeyId).to.deep.equal([key.urn]);
            expect(await promiseOf(created.execLogGroupName)).to.equal(EXEC_GROUP);
            expect(await promiseOf(created.execLogGroupArn)).to.match(
                /:log-group:\/ecs\/groundwork-test\/exec\/sessions$/,
            );
        });

        it("lets CloudWatch Logs use the key for exactly the exec group and the services' prefix", () => {
            const key = rec.one(T.key, "cluster-key");
            expect(key.props.enableKeyRotation).to.equal(true);
            const all = statements(key.props.policy);
            const logs = all.filter((s) => s.Principal?.Service !== undefined);
            expect(logs.map((s) => s.Sid)).to.deep.equal(["CloudWatchLogsEncryptsLogGroups"]);
            expect(logs[0].Principal?.Service).to.equal("logs.us-east-1.amazonaws.com");
            expect(logs[0].Condition).to.deep.equal({
                ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn": [
                        `arn:aws:logs:us-east-1:123456789012:log-group:${EXEC_GROUP}`,
                        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/groundwork-test/*",
                    ],
                },
            });
            expect(created.serviceLogGroupPrefix).to.equal("/ecs/groundwork-test/");
        });

        it("associates FARGATE and FARGATE_SPOT, FARGATE by default", () => {
            const ccp = rec.one(T.ccp, "cluster-capacity");
            expect(ccp.props.capacityProviders).to.deep.equal(["FARGATE", "FARGATE_SPOT"]);
            expect(ccp.props.defaultCapacityProviderStrategies).to.deep.equal([
                { capacityProvider: "FARGATE", weight: 1, base: 0 },
            ]);
            expect(ccp.propertyDependencies.clusterName).to.deep.equal([rec.one(T.cluster, "cluster").urn]);
            expect(created.capacity).to.equal("fargate");
            expect(created.ec2CapacityProviderName).to.equal(undefined);
        });

        it("hands services a cluster that depends on the capacity providers and still links to the cluster", async () => {
            const service = rec.one(T.service, "api");
            expect(service.propertyDependencies.cluster).to.have.members([
                rec.one(T.cluster, "cluster").urn,
                rec.one(T.ccp, "cluster-capacity").urn,
            ]);
            expect(service.props.cluster).to.equal(await promiseOf(created.clusterArn));
            expect(service.props.cluster).to.match(/^arn:aws:ecs:us-east-1:123456789012:cluster\//);
        });

        it("creates no EC2 capacity, even when EC2 arguments are given", async () => {
            const { rec: withArgs } = await cluster({
                vpcId: "vpc-1",
                subnetIds: SUBNETS,
                ec2InstanceType: "m7g.large",
            });
            for (const type of [T.launchTemplate, T.asg, T.capacityProvider, T.role, T.securityGroup]) {
                expect(withArgs.ofType(type), type).to.deep.equal([]);
            }
        });

        it("keeps exec logs as long as asked", async () => {
            const { rec: year } = await cluster({ execLogRetentionDays: 365 });
            expect(year.one(T.logGroup, "cluster-exec").props.retentionInDays).to.equal(365);
        });

        it("protects the keys only when asked", async () => {
            for (const key of ["cluster-key", "cluster-images-key"]) {
                expect(rec.one(T.key, key).options, key).to.include({ protect: false, retainOnDelete: false });
            }
            const { rec: prod } = await cluster({ protect: true });
            for (const key of ["cluster-key", "cluster-images-key"]) {
                expect(prod.one(T.key, key).options, key).to.include({ protect: true, retainOnDelete: true });
            }
        });

        it("offers a rotating customer-managed key for the services' image repositories", async () => {
            const { rec: r, cluster: c } = await cluster();
            const key = r.one(T.key, "cluster-images-key");
            expect(key.props).to.include({ enableKeyRotation: true });
            expect(await promiseOf(c.imagesKmsKeyArn)).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//);
        });

        it("satisfies the pack's cluster checks (log-ecs-containers, alarm-ecs), which a disabled setting fails", () => {
            const report = evaluate(rec.resources);
            const clusterUrn = rec.one(T.cluster, "cluster").urn;
            expectClean(report, "log-ecs-containers");
            const insights = (r: typeof report) =>
                violationsOf(r, "alarm-ecs").filter((v) => v.message.includes("has Container Insights off"));
            expect(insights(report).map((v) => v.message)).to.deep.equal([]);
            for (const policy of ["enc-kms-rotation", "enc-cmk-managed", "enc-cmk-misc"]) {
                expectClean(report, policy);
            }

            // The same stack with the setting off: both rules name the cluster.
            const disabled = rec.resources.map((r) =>
                r.urn === clusterUrn
                    ? { ...r, props: { ...r.props, settings: [{ name: "containerInsights", value: "disabled" }] } }
                    : r,
            );
            const off = evaluate(disabled);
            expect(violationsOf(off, "log-ecs-containers", clusterUrn)).to.have.length(1);
            expect(insights(off)).to.have.length(1);
        });
    });

    describe("with EC2 capacity", () => {
        let rec: Recorded;
        let created: Cluster;
        before(async () => {
            ({ rec, cluster: created } = await cluster(EC2));
        });

        it("launches the ECS-optimized AL2023 AMI resolved from its public SSM parameter at launch", () => {
            const lt = rec.one(T.launchTemplate, "cluster-instances");
            expect(lt.props.imageId).to.equal(
                "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
            );
            expect(lt.props.instanceType).to.equal("t3.medium");
        });

        it("requires IMDSv2 with one hop, gives no public IP and encrypts a gp3 root volume", () => {
            const lt = rec.one(T.launchTemplate, "cluster-instances");
            expect(lt.props.metadataOptions).to.deep.include({
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
            });
            const [nic] = lt.props.networkInterfaces as Record<string, unknown>[];
            expect(nic).to.include({ associatePublicIpAddress: "false", deviceIndex: 0 });
            expect((lt.props.networkInterfaces as unknown[]).length).to.equal(1);
            expect(lt.propertyDependencies.networkInterfaces).to.deep.equal([
                rec.one(T.securityGroup, "cluster-instances").urn,
            ]);
            expect(lt.props.blockDeviceMappings).to.deep.equal([
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeType: "gp3", volumeSize: 30, encrypted: "true", deleteOnTermination: "true" },
                },
            ]);
        });

        it("joins the instances to this cluster and keeps awsvpc tasks off the instance metadata", () => {
            const lt = rec.one(T.launchTemplate, "cluster-instances");
            const userData = Buffer.from(lt.props.userData as string, "base64").toString("utf8");
            expect(userData).to.equal(ecsUserData("groundwork-test-cluster"));
            expect(userData).to.match(/^ECS_CLUSTER=groundwork-test-cluster$/m);
            expect(userData).to.match(/^ECS_AWSVPC_BLOCK_IMDS=true$/m);
            expect(lt.propertyDependencies.userData).to.deep.equal([rec.one(T.cluster, "cluster").urn]);
            expect(lt.propertyDependencies.iamInstanceProfile).to.deep.equal([
                rec.one(T.instanceProfile, "cluster-instance").urn,
            ]);
        });

        it("runs an Auto Scaling group of 2-10 in the given subnets, protected from scale-in, sized by ECS", () => {
            const asg = rec.one(T.asg, "cluster-instances");
            expect(asg.props).to.include({ minSize: 2, maxSize: 10, protectFromScaleIn: true });
            expect(asg.props).not.to.have.property("desiredCapacity");
            expect(asg.props.vpcZoneIdentifiers).to.deep.equal(SUBNETS);
            expect(asg.props.tags).to.deep.include({ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true });
            expect(asg.propertyDependencies.launchTemplate).to.deep.equal([
                rec.one(T.launchTemplate, "cluster-instances").urn,
            ]);
            expect(asg.dependencies).to.include(rec.one(T.rolePolicy, "cluster-instance").urn);
        });

        it("adds a capacity provider with managed scaling at 100 % and managed termination protection, as the default", async () => {
            const provider = rec.one(T.capacityProvider, "cluster-ec2");
            expect(provider.props.name).to.equal("groundwork-test-cluster-ec2");
            expect(provider.props.autoScalingGroupProvider).to.deep.include({
                managedTerminationProtection: "ENABLED",
                managedScaling: { status: "ENABLED", targetCapacity: 100 },
            });
            expect(provider.propertyDependencies.autoScalingGroupProvider).to.deep.equal([
                rec.one(T.asg, "cluster-instances").urn,
            ]);
            const ccp = rec.one(T.ccp, "cluster-capacity");
            expect(ccp.props.capacityProviders).to.deep.equal([
                "FARGATE",
                "FARGATE_SPOT",
                "groundwork-test-cluster-ec2",
            ]);
            expect(ccp.props.defaultCapacityProviderStrategies).to.deep.equal([
                { capacityProvider: "groundwork-test-cluster-ec2", weight: 1, base: 0 },
            ]);
            expect(ccp.propertyDependencies.capacityProviders).to.deep.equal([provider.urn]);
            expect(created.capacity).to.equal("ec2");
            expect(await promiseOf(created.ec2CapacityProviderName!)).to.equal("groundwork-test-cluster-ec2");
        });

        it("gives the instances a role trusted by EC2 alone, with only the agent's calls on this cluster", async () => {
            const role = rec.one(T.role, "cluster-instance");
            const trust = statements(role.props.assumeRolePolicy);
            expect(trust).to.deep.equal([
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            expect(role.props).not.to.have.property("managedPolicyArns");
            expect(rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.deep.equal([]);

            const policy = statements(rec.one(T.rolePolicy, "cluster-instance").props.policy);
            const clusterArn = await promiseOf(created.clusterArn);
            const granted = policy.flatMap(actions);
            expect(granted).to.have.members([
                "ecs:RegisterContainerInstance",
                "ecs:DeregisterContainerInstance",
                "ecs:Submit*",
                "ecs:Poll",
                "ecs:StartTelemetrySession",
                "ecs:DiscoverPollEndpoint",
            ]);
            for (const s of policy) {
                const scoped = s.Resource === clusterArn || s.Condition?.ArnEquals?.["ecs:cluster"] === clusterArn;
                expect(scoped || actions(s).join() === "ecs:DiscoverPollEndpoint", s.Sid).to.equal(true);
            }
            expect(rec.one(T.instanceProfile, "cluster-instance").propertyDependencies.role).to.deep.equal([role.urn]);
        });

        it("sets the permissions boundary on the instance role when given", async () => {
            expect(rec.one(T.role, "cluster-instance").props).not.to.have.property("permissionsBoundary");
            const boundary = "arn:aws:iam::123456789012:policy/groundwork-boundary";
            const { rec: bounded } = await cluster({ ...EC2, permissionsBoundaryArn: boundary });
            for (const role of bounded.ofType(T.role)) {
                expect(role.props.permissionsBoundary, role.name).to.equal(boundary);
            }
            // Role and profile under the stack's IAM path, where a bounded deploy role may manage them.
            for (const entity of [...bounded.ofType(T.role), ...bounded.ofType(T.instanceProfile)]) {
                expect(entity.props.path, entity.name).to.equal("/groundwork/test/");
            }
        });

        it("opens no ingress to the instances and only HTTPS out", () => {
            const sg = rec.one(T.securityGroup, "cluster-instances");
            expect(sg.props).not.to.have.property("ingress");
            expect(sg.props.vpcId).to.equal("vpc-0123");
            expect(rec.ofType(T.ingress)).to.deep.equal([]);
            const egress = rec.ofType(T.egress);
            expect(egress).to.have.length(1);
            expect(egress[0].props).to.include({
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            });
            expect(egress[0].propertyDependencies.securityGroupId).to.deep.equal([sg.urn]);
        });

        it("uses the arm64 AMI and the given sizes for a Graviton type", async () => {
            const { rec: graviton } = await cluster({
                ...EC2,
                ec2InstanceType: "t4g.large",
                ec2MinSize: 1,
                ec2MaxSize: 4,
                ec2RootVolumeGb: 50,
            });
            const lt = graviton.one(T.launchTemplate, "cluster-instances");
            expect(lt.props.imageId).to.equal(
                "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
            );
            expect(lt.props.instanceType).to.equal("t4g.large");
            expect((lt.props.blockDeviceMappings as { ebs: { volumeSize: number } }[])[0].ebs.volumeSize).to.equal(50);
            expect(graviton.one(T.asg, "cluster-instances").props).to.include({ minSize: 1, maxSize: 4 });
        });

        it("passes the pack's IAM rules and Container Insights checks", () => {
            const report = evaluate(rec.resources);
            for (const policy of [
                "iam-no-wildcard",
                "iam-no-admin-attach",
                "iam-role-trust",
                "log-ecs-containers",
                "enc-kms-rotation",
                "enc-cmk-managed",
            ]) {
                expectClean(report, policy);
            }
        });
    });

    describe("arguments", () => {
        const bad: [string, ClusterArgs][] = [
            ["capacity", { capacity: "lambda" }],
            ["containerInsights", { containerInsights: "disabled" }],
            ["execLogRetentionDays", { execLogRetentionDays: 31 }],
            ["subnetIds", { capacity: "ec2", vpcId: "vpc-1" }],
            ["subnetIds", { capacity: "ec2", vpcId: "vpc-1", subnetIds: [] }],
            ["vpcId", { capacity: "ec2", subnetIds: SUBNETS }],
            ["ec2MinSize", { ...EC2, ec2MinSize: 5, ec2MaxSize: 3 }],
            ["ec2MinSize", { ...EC2, ec2MinSize: -1 }],
            ["ec2MaxSize", { ...EC2, ec2MaxSize: 0 }],
            ["ec2RootVolumeGb", { ...EC2, ec2RootVolumeGb: 20 }],
            ["ec2InstanceType", { ...EC2, ec2InstanceType: "t3medium" }],
        ];
        for (const [arg, args] of bad) {
            it(`rejects ${JSON.stringify(args)}, naming ${arg}`, () => {
                expect(() => normalizeClusterArgs("cluster", args)).to.throw(
                    new RegExp(`^Cluster "cluster": args\\.${arg} `),
                );
            });
        }

        it("accepts every CloudWatch retention period and min = max", () => {
            for (const days of LOG_RETENTION_DAYS) {
                expect(normalizeClusterArgs("cluster", { execLogRetentionDays: days }).execLogRetentionDays).to.equal(
                    days,
                );
            }
            expect(normalizeClusterArgs("cluster", { ...EC2, ec2MinSize: 3, ec2MaxSize: 3 }).ec2).to.include({
                minSize: 3,
                maxSize: 3,
            });
        });
    });

    describe("helpers", () => {
        it("tells Graviton instance types from x86 ones", () => {
            for (const arm of [
                "t4g.medium",
                "m7g.large",
                "c6gn.xlarge",
                "x2gd.2xlarge",
                "g5g.xlarge",
                "a1.large",
                "r8g.metal-24xl",
            ]) {
                expect(isGravitonInstanceType(arm), arm).to.equal(true);
                expect(ecsOptimizedAmiParameter(arm), arm).to.contain("/amazon-linux-2023/arm64/");
            }
            for (const x86 of [
                "t3.medium",
                "m7i-flex.large",
                "g4dn.xlarge",
                "g4ad.xlarge",
                "c5n.large",
                "mac2-m2pro.metal",
                "u-6tb1.metal",
            ]) {
                expect(isGravitonInstanceType(x86), x86).to.equal(false);
                expect(ecsOptimizedAmiParameter(x86), x86).to.equal(
                    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
                );
            }
        });

        it("never names a capacity provider with a prefix ECS reserves, nor longer than 255", () => {
            const reserved = /^(aws|ecs|fargate)/i;
            expect(capacityProviderName("ecs-prod-cluster-ec2")).to.equal("cp-ecs-prod-cluster-ec2");
            expect(capacityProviderName("groundwork-prod-cluster-ec2")).to.equal("groundwork-prod-cluster-ec2");
            fc.assert(
                fc.property(
                    fc.constantFrom("", "aws", "ecs", "fargate", "AWS", "app"),
                    fc.stringMatching(/^[a-z0-9-]{0,300}$/),
                    (prefix, rest) => {
                        const name = capacityProviderName(`${prefix}${rest}` || "x");
                        return !reserved.test(name) && name.length <= 255 && /^[A-Za-z0-9_-]*$/.test(name);
                    },
                ),
            );
        });
    });
});
