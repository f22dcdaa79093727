import { expect } from "chai";
import * as sns from "@pulumi/aws/sns";
import { Cluster } from "../../components/cluster";
import {
    BOOTSTRAP_IMAGE_TAG,
    ECR_KEEP_TAGGED_IMAGES,
    ECR_UNTAGGED_EXPIRY_DAYS,
    EXEC_AGENT_PATHS,
    FargateService,
    FargateServiceArgs,
    ecrLifecyclePolicy,
    ecrRepositoryOfImage,
    fargateServiceNames,
    httpHealthCheckCommand,
    normalizeFargateServiceArgs,
} from "../../components/fargate-service";
import { PlannedResource } from "../../tools/plan-types";
import { Recorded, promiseOf, run } from "../helpers";
import { evaluate, expectClean, expectViolation, violationsOf } from "../policy/fixtures";

const T = {
    repository: "aws:ecr/repository:Repository",
    lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    target: "aws:appautoscaling/target:Target",
    policy: "aws:appautoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const ACCOUNT = "123456789012";
const CLUSTER = "groundwork-test-cluster";
const LOG_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/logs`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:alarms`;
const DB_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-1234-AbCdEf`;
const DB_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/db`;
const JWT_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:groundwork/test/secrets/jwt-GhIjKl`;
const APP_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/app`;
const JOBS = `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`;
const EVENTS = `arn:aws:sqs:us-east-1:${ACCOUNT}:events`;
const UPLOADS = "arn:aws:s3:::groundwork-test-uploads";
const UPLOADS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/uploads`;
const ASSETS = "arn:aws:s3:::groundwork-test-assets";
const EXEC_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/groundwork-test/exec/sessions`;

/** The smallest valid service: the args every test starts from. */
const BASE: FargateServiceArgs = {
    clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${CLUSTER}`,
    clusterName: CLUSTER,
    vpcId: "vpc-0123",
    subnetIds: ["subnet-0aaa", "subnet-0bbb"],
    appSecurityGroupId: "sg-0app",
    imageTag: "3f2c1ab",
    logKmsKeyArn: LOG_KEY,
    alarmTopicArn: TOPIC,
};

/** An HTTP API behind a load balancer, as the stack runs seed 004's api. */
const API: FargateServiceArgs = {
    ...BASE,
    cpu: 512,
    memory: 1024,
    desiredCount: 2,
    minCount: 2,
    maxCount: 10,
    port: 4000,
    user: "1000:1000",
    environment: { NODE_ENV: "production" },
    secrets: [
        { name: "DATABASE_PASSWORD", secretArn: DB_SECRET, jsonKey: "password", kmsKeyArn: DB_KEY },
        { name: "JWT_SIGNING_KEY", secretArn: JWT_SECRET, kmsKeyArn: APP_KEY },
    ],
    targetGroupArns: [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/api/0123456789abcdef`],
    loadBalancerSecurityGroupId: "sg-0alb",
};

async function service(args: FargateServiceArgs, name = "api"): Promise<{ rec: Recorded; svc: FargateService }> {
    let created: FargateService | undefined;
    const rec = await run(() => {
        created = new FargateService(name, args);
    });
    return { rec, svc: created! };
}

interface Statement {
    Sid?: string;
    Effect: string;
    Principal?: { Service?: string };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}
const statements = (doc: unknown): Statement[] => JSON.parse(doc as string).Statement;
const bySid = (doc: unknown): Record<string, Omit<Statement, "Sid">> =>
    Object.fromEntries(statements(doc).map(({ Sid, ...rest }) => [Sid, rest]));

const containerOf = (rec: Recorded, name = "api") =>
    JSON.parse(rec.one(T.taskDefinition, name).props.containerDefinitions as string)[0] as Record<string, unknown>;
const rolePolicy = (rec: Recorded, name: string) => rec.one(T.rolePolicy, name).props.policy;

describe("FargateService", () => {
    describe("an API on its own repository, behind a load balancer", () => {
        let rec: Recorded;
        let svc: FargateService;
        before(async () => {
            ({ rec, svc } = await service(API));
        });

        it("creates an immutable, scan-on-push, KMS-encrypted repository <project>-<stack>/<name> with a lifecycle policy", async () => {
            const repo = rec.one(T.repository, "api-repo");
            expect(repo.props).to.deep.include({
                name: "groundwork-test/api",
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                forceDelete: true,
            });
            expect(repo.options).to.include({ protect: false, retainOnDelete: false });
            const keyed = await service({ ...API, repositoryKmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/images` });
            expect(keyed.rec.one(T.repository, "api-repo").props.encryptionConfigurations).to.deep.equal([
                { encryptionType: "KMS", kmsKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/images` },
            ]);
            const lifecycle = rec.one(T.lifecycle, "api-repo-lifecycle");
            expect(lifecycle.propertyDependencies.repository).to.deep.equal([repo.urn]);
            expect(lifecycle.props.policy).to.equal(ecrLifecyclePolicy());
            expect(await promiseOf(svc.repositoryUrl!)).to.equal(
                `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/groundwork-test/api`,
            );
            expect(await promiseOf(svc.repositoryArn!)).to.equal(
                `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/groundwork-test/api`,
            );
        });

        it("runs the given tag from that repository", async () => {
            const image = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/groundwork-test/api:3f2c1ab`;
            expect(containerOf(rec).image).to.equal(image);
            expect(await promiseOf(svc.imageUri)).to.equal(`${await promiseOf(svc.repositoryUrl!)}:3f2c1ab`);
        });

        it("registers a Linux awsvpc Fargate task of the given size with separate task and execution roles", () => {
            const td = rec.one(T.taskDefinition, "api");
            expect(td.props).to.deep.include({
                family: "groundwork-test-api",
                cpu: "512",
                memory: "1024",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                volumes: [{ name: "tmp" }],
            });
            expect(td.propertyDependencies.taskRoleArn).to.deep.equal([rec.one(T.role, "api-task").urn]);
            expect(td.propertyDependencies.executionRoleArn).to.deep.equal([rec.one(T.role, "api-execution").urn]);
        });

        it("runs one essential, unprivileged container as its user with a read-only root and a writable /tmp", () => {
            expect(containerOf(rec)).to.deep.include({
                name: "api",
                essential: true,
                readonlyRootFilesystem: true,
                privileged: false,
                user: "1000:1000",
                portMappings: [{ containerPort: 4000, protocol: "tcp" }],
                stopTimeout: 30,
                mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
            });
            expect(containerOf(rec)).not.to.have.property("linuxParameters");
            expect(containerOf(rec)).not.to.have.property("command");
        });

        it("passes plain environment with SERVICE_NAME, and injects secrets by ARN (with a JSON key when given)", () => {
            const c = containerOf(rec);
            expect(c.environment).to.deep.equal([
                { name: "SERVICE_NAME", value: "api" },
                { name: "NODE_ENV", value: "production" },
            ]);
            expect(c.secrets).to.deep.equal([
                { name: "DATABASE_PASSWORD", valueFrom: `${DB_SECRET}:password::` },
                { name: "JWT_SIGNING_KEY", valueFrom: JWT_SECRET },
            ]);
        });

        it("checks health over HTTP on the port, and logs to its KMS-encrypted group without blocking", () => {
            const c = containerOf(rec);
            expect(c.healthCheck).to.deep.equal({
                command: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:4000/health"],
                interval: 30,
                timeout: 5,
                retries: 3,
                startPeriod: 60,
            });
            expect(c.logConfiguration).to.deep.equal({
                logDriver: "awslogs",
                options: {
                    "awslogs-group": "/ecs/groundwork-test/api",
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "ecs",
                    mode: "non-blocking",
                    "max-buffer-size": "25m",
                },
            });
            expect(rec.one(T.logGroup, "api-logs").props).to.include({
                name: "/ecs/groundwork-test/api",
                retentionInDays: 30,
                kmsKeyId: LOG_KEY,
            });
        });

        it("lets the execution role pull this repository, write this log group and read exactly these secrets", () => {
            expect(bySid(rolePolicy(rec, "api-execution"))).to.deep.equal({
                EcrLogin: { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                PullImage: {
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                    Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/groundwork-test/api`,
                },
                WriteLogs: {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/groundwork-test/api:*`,
                },
                ReadInjectedSecrets: {
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: [DB_SECRET, JWT_SECRET],
                },
                DecryptInjectedSecrets: {
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: [DB_KEY, APP_KEY],
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
                },
            });
            const policy = rec.one(T.rolePolicy, "api-execution");
            expect(policy.propertyDependencies.role).to.deep.equal([rec.one(T.role, "api-execution").urn]);
        });

        it("grants the application nothing when it asks for nothing", () => {
            expect(rec.ofType(T.rolePolicy).map((p) => p.name)).to.deep.equal(["api-execution"]);
        });

        it("lets only ECS tasks of this account assume either role", () => {
            for (const role of ["api-task", "api-execution"]) {
                expect(statements(rec.one(T.role, role).props.assumeRolePolicy), role).to.deep.equal([
                    {
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                    },
                ]);
                expect(rec.one(T.role, role).props).not.to.have.property("permissionsBoundary");
            }
        });

        it("admits the port from the load balancer's group only, and gives that group the matching egress", () => {
            const sg = rec.one(T.securityGroup, "api-sg");
            expect(sg.props).not.to.have.property("ingress");
            expect(sg.props).not.to.have.property("egress");
            expect(sg.props.tags).to.deep.equal({ Name: "api-sg", "groundwork:role": "service" });
            const ingress = rec.one(T.ingress, "api-sg-from-lb");
            expect(ingress.props).to.include({
                ipProtocol: "tcp",
                fromPort: 4000,
                toPort: 4000,
                referencedSecurityGroupId: "sg-0alb",
            });
            expect(ingress.props).not.to.have.property("cidrIpv4");
            expect(ingress.propertyDependencies.securityGroupId).to.deep.equal([sg.urn]);
            const egress = rec.one(T.egress, "api-sg-lb-out");
            expect(egress.props).to.include({ securityGroupId: "sg-0alb", fromPort: 4000, toPort: 4000 });
            expect(egress.propertyDependencies.referencedSecurityGroupId).to.deep.equal([sg.urn]);
        });

        it("runs the service in private subnets behind both groups, rolling with the circuit breaker", () => {
            const svcRes = rec.one(T.service, "api");
            expect(svcRes.props).to.deep.include({
                name: "groundwork-test-api",
                cluster: BASE.clusterArn,
                desiredCount: 2,
                capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                availabilityZoneRebalancing: "ENABLED",
                enableExecuteCommand: false,
                waitForSteadyState: false,
                forceNewDeployment: true,
                healthCheckGracePeriodSeconds: 60,
                loadBalancers: [{ targetGroupArn: API.targetGroupArns![0], containerName: "api", containerPort: 4000 }],
            });
            const network = svcRes.props.networkConfiguration as Record<string, unknown>;
            expect(network.assignPublicIp).to.equal(false);
            expect(network.subnets).to.deep.equal(BASE.subnetIds);
            expect((network.securityGroups as string[])[1]).to.equal("sg-0app");
            expect(svcRes.propertyDependencies.networkConfiguration).to.deep.equal([
                rec.one(T.securityGroup, "api-sg").urn,
            ]);
            expect(svcRes.propertyDependencies.taskDefinition).to.deep.equal([rec.one(T.taskDefinition, "api").urn]);
            expect(svcRes.props).not.to.have.property("launchType");
            expect(svcRes.props).not.to.have.property("platformVersion");
        });

        it("leaves the task count to auto scaling after creation, and starts tasks once the roles and the ingress exist", () => {
            const svcRes = rec.one(T.service, "api");
            expect(svcRes.options.ignoreChanges).to.deep.equal(["desiredCount"]);
            expect(svcRes.dependencies).to.include.members([
                rec.one(T.rolePolicy, "api-execution").urn,
                rec.one(T.ingress, "api-sg-from-lb").urn,
            ]);
        });

        it("tracks CPU at 70 % and memory at 80 % (seeds 002, 003) between minCount and maxCount", async () => {
            const target = rec.one(T.target, "api-scaling");
            expect(target.props).to.include({
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: `service/${CLUSTER}/groundwork-test-api`,
                minCapacity: 2,
                maxCapacity: 10,
            });
            expect(target.propertyDependencies.resourceId).to.deep.equal([rec.one(T.service, "api").urn]);
            const config = (name: string) =>
                rec.one(T.policy, name).props.targetTrackingScalingPolicyConfiguration as Record<string, unknown>;
            expect(rec.ofType(T.policy).map((p) => p.name)).to.deep.equal(["api-cpu", "api-memory"]);
            expect(config("api-cpu")).to.deep.equal({
                targetValue: 70,
                scaleInCooldown: 300,
                scaleOutCooldown: 60,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
            });
            expect(config("api-memory")).to.deep.include({
                targetValue: 80,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
            });
            expect(rec.one(T.policy, "api-cpu").props).to.include({
                policyType: "TargetTrackingScaling",
                resourceId: `service/${CLUSTER}/groundwork-test-api`,
            });
        });

        it("alarms on running tasks below minCount (critical) and on high CPU and memory (warning), linked to the service", () => {
            const svcUrn = rec.one(T.service, "api").urn;
            const alarms = Object.fromEntries(rec.ofType(T.alarm).map((a) => [a.name, a]));
            expect(Object.keys(alarms)).to.deep.equal(["api-running-tasks", "api-cpu-high", "api-memory-high"]);
            const dimensions = { ClusterName: CLUSTER, ServiceName: "groundwork-test-api" };
            expect(alarms["api-running-tasks"].props).to.deep.include({
                namespace: "ECS/ContainerInsights",
                metricName: "RunningTaskCount",
                dimensions,
                statistic: "Maximum",
                period: 60,
                evaluationPeriods: 5,
                threshold: 2,
                comparisonOperator: "LessThanThreshold",
                tags: { severity: "critical" },
            });
            for (const [name, metric, threshold] of [
                ["api-cpu-high", "CPUUtilization", 80],
                ["api-memory-high", "MemoryUtilization", 85],
            ] as const) {
                expect(alarms[name].props, name).to.deep.include({
                    namespace: "AWS/ECS",
                    metricName: metric,
                    dimensions,
                    threshold,
                    comparisonOperator: "GreaterThanThreshold",
                    evaluationPeriods: 5,
                    tags: { severity: "warning" },
                });
            }
            for (const a of Object.values(alarms)) {
                expect(a.propertyDependencies.dimensions, a.name).to.include(svcUrn);
                expect(a.props).to.deep.include({ alarmActions: [TOPIC], okActions: [TOPIC] });
            }
        });

        it("exposes names, ARNs, the port and dashboard widgets for CPU, memory and tasks", async () => {
            expect(await promiseOf(svc.serviceName)).to.equal("groundwork-test-api");
            expect(await promiseOf(svc.logGroupName)).to.equal("/ecs/groundwork-test/api");
            expect(await promiseOf(svc.taskRoleName)).to.match(/^api-task-/);
            expect(await promiseOf(svc.taskRoleArn)).to.match(/:role\/api-task-/);
            expect(await promiseOf(svc.executionRoleArn)).to.match(/:role\/api-execution-/);
            expect(await promiseOf(svc.securityGroupId)).to.match(/^sg-/);
            expect(await promiseOf(svc.serviceArn)).to.match(/^arn:aws:ecs:us-east-1:/);
            expect(await promiseOf(svc.taskDefinitionArn)).to.match(/^arn:aws:ecs:us-east-1:/);
            expect(svc.port).to.equal(4000);
            expect(svc.containerName).to.equal("api");
            const widgets = await Promise.all(
                svc.dashboardWidgets.map((w) => promiseOf(w.properties as never) as Promise<Record<string, unknown>>),
            );
            const dims = ["ClusterName", CLUSTER, "ServiceName", "groundwork-test-api"];
            expect(widgets.map((w) => w.metrics)).to.deep.equal([
                [["AWS/ECS", "CPUUtilization", ...dims]],
                [["AWS/ECS", "MemoryUtilization", ...dims]],
                [
                    ["ECS/ContainerInsights", "RunningTaskCount", ...dims],
                    ["ECS/ContainerInsights", "DesiredTaskCount", ...dims],
                ],
            ]);
        });

        it("names every child after the component", () => {
            for (const r of rec.resources.filter((x) => x.urn.includes("groundwork:index:FargateService$"))) {
                expect(r.name === "api" || r.name.startsWith("api-"), `${r.type} ${r.name}`).to.equal(true);
            }
        });
    });

    describe("variants", () => {
        it("protects the repository and keeps its images when protect is set", async () => {
            const { rec } = await service({ ...BASE, protect: true });
            const repo = rec.one(T.repository, "api-repo");
            expect(repo.options).to.include({ protect: true, retainOnDelete: true });
            expect(repo.props.forceDelete).to.equal(false);
        });

        it("runs an external image without a repository, pulling from ECR only when the image lives there", async () => {
            const { rec, svc } = await service({
                ...BASE,
                imageTag: undefined,
                image: "public.ecr.aws/nginx/nginx:1.27",
            });
            expect(rec.ofType(T.repository)).to.deep.equal([]);
            expect(rec.ofType(T.lifecycle)).to.deep.equal([]);
            expect(svc.repositoryUrl).to.equal(undefined);
            expect(svc.repositoryArn).to.equal(undefined);
            expect(containerOf(rec).image).to.equal("public.ecr.aws/nginx/nginx:1.27");
            expect(await promiseOf(svc.imageUri)).to.equal("public.ecr.aws/nginx/nginx:1.27");
            expect(Object.keys(bySid(rolePolicy(rec, "api-execution")))).to.deep.equal(["WriteLogs"]);

            const ecrImage = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shared/tools@sha256:${"a".repeat(64)}`;
            const other = await service({ ...BASE, imageTag: undefined, image: ecrImage });
            expect(bySid(rolePolicy(other.rec, "api-execution")).PullImage.Resource).to.equal(
                `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/shared/tools`,
            );
        });

        it("describes the CPU architecture for Graviton", async () => {
            const { rec } = await service({ ...BASE, architecture: "arm64" });
            expect(rec.one(T.taskDefinition, "api").props.runtimePlatform).to.deep.equal({
                operatingSystemFamily: "LINUX",
                cpuArchitecture: "ARM64",
            });
        });

        it("without a port: no mapping, no health check, no ingress, no target group", async () => {
            const { rec, svc } = await service(BASE);
            const c = containerOf(rec);
            expect(c).not.to.have.property("portMappings");
            expect(c).not.to.have.property("healthCheck");
            expect(c).not.to.have.property("user");
            expect(rec.ofType(T.ingress)).to.deep.equal([]);
            expect(rec.ofType(T.egress)).to.deep.equal([]);
            expect(rec.one(T.service, "api").props.loadBalancers).to.deep.equal([]);
            expect(rec.one(T.service, "api").props).not.to.have.property("healthCheckGracePeriodSeconds");
            expect(svc.port).to.equal(undefined);
        });

        it("checks health on the given path, or runs the given command instead", async () => {
            const path = await service({ ...BASE, port: 8080, healthCheckPath: "/api/health/it's-up" });
            expect((containerOf(path.rec).healthCheck as { command: string[] }).command).to.deep.equal([
                "CMD",
                "curl",
                "-fsS",
                "-o",
                "/dev/null",
                "http://localhost:8080/api/health/it's-up",
            ]);
            expect(httpHealthCheckCommand(8080, "/a")).to.deep.equal([
                "CMD",
                "curl",
                "-fsS",
                "-o",
                "/dev/null",
                "http://localhost:8080/a",
            ]);
            const custom = await service({ ...BASE, port: 8080, healthCheckCommand: ["CMD", "/app/healthcheck"] });
            expect((containerOf(custom.rec).healthCheck as { command: string[] }).command).to.deep.equal([
                "CMD",
                "/app/healthcheck",
            ]);
            const noPort = await service({
                ...BASE,
                healthCheckCommand: ["CMD-SHELL", "pgrep worker"],
                command: ["node", "worker.js"],
            });
            expect(containerOf(noPort.rec)).to.deep.include({
                healthCheck: {
                    command: ["CMD-SHELL", "pgrep worker"],
                    interval: 30,
                    timeout: 5,
                    retries: 3,
                    startPeriod: 60,
                },
                command: ["node", "worker.js"],
            });
        });

        it("puts one task on regular Fargate and the rest on Spot by weight", async () => {
            const { rec } = await service({ ...BASE, fargateBase: 1, fargateWeight: 1, spotWeight: 3 });
            expect(rec.one(T.service, "api").props.capacityProviderStrategies).to.deep.equal([
                { capacityProvider: "FARGATE", weight: 1, base: 1 },
                { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
            ]);
        });

        it("runs on the cluster's EC2 capacity provider with EC2 compatibility, still awsvpc", async () => {
            const { rec } = await service({ ...BASE, capacityProviderName: "groundwork-test-cluster-ec2" });
            expect(rec.one(T.service, "api").props.capacityProviderStrategies).to.deep.equal([
                { capacityProvider: "groundwork-test-cluster-ec2", weight: 1, base: 0 },
            ]);
            expect(rec.one(T.taskDefinition, "api").props).to.deep.include({
                requiresCompatibilities: ["EC2"],
                networkMode: "awsvpc",
            });
            expect(
                (rec.one(T.service, "api").props.networkConfiguration as Record<string, unknown>).assignPublicIp,
            ).to.equal(false);
        });

        it("with ECS Exec: the session channels, logs and key on the task role, a writable agent state directory, an init process", async () => {
            const { rec } = await service({
                ...BASE,
                enableExecuteCommand: true,
                execLogGroupArn: EXEC_GROUP,
                execKmsKeyArn: LOG_KEY,
            });
            expect(rec.one(T.service, "api").props.enableExecuteCommand).to.equal(true);
            expect(bySid(rolePolicy(rec, "api-task"))).to.deep.equal({
                ExecChannels: {
                    Effect: "Allow",
                    Action: [
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ],
                    Resource: "*",
                },
                ExecFindLogGroup: { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
                ExecSessionLogs: {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    Resource: `${EXEC_GROUP}:*`,
                },
                ExecSessionKey: { Effect: "Allow", Action: "kms:Decrypt", Resource: LOG_KEY },
            });
            const c = containerOf(rec);
            expect(c.readonlyRootFilesystem).to.equal(true);
            expect(c.linuxParameters).to.deep.equal({ initProcessEnabled: true });
            expect((c.mountPoints as { containerPath: string }[]).map((m) => m.containerPath)).to.deep.equal([
                "/tmp",
                ...EXEC_AGENT_PATHS,
            ]);
            expect(EXEC_AGENT_PATHS).to.deep.equal(["/var/lib/amazon/ssm"]);
            expect(rec.one(T.taskDefinition, "api").props.volumes).to.deep.equal([
                { name: "tmp" },
                { name: "exec-var-lib-amazon-ssm" },
            ]);
        });

        it("grants exactly the queues, bucket prefixes, runtime secrets and SES identities in access", async () => {
            const { rec } = await service({
                ...BASE,
                access: {
                    sendQueueArns: [EVENTS],
                    consumeQueueArns: [JOBS],
                    buckets: [
                        { bucketArn: UPLOADS, prefix: "avatars/", read: true, write: true, kmsKeyArn: UPLOADS_KEY },
                        { bucketArn: ASSETS },
                    ],
                    runtimeSecrets: [{ secretArn: JWT_SECRET, kmsKeyArn: APP_KEY }],
                    sesIdentityArns: [`arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`],
                },
            });
            expect(bySid(rolePolicy(rec, "api-task"))).to.deep.equal({
                SendToQueues: {
                    Effect: "Allow",
                    Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                    Resource: [EVENTS],
                },
                ConsumeQueues: {
                    Effect: "Allow",
                    Action: [
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                        "sqs:GetQueueUrl",
                    ],
                    Resource: [JOBS],
                },
                ReadObjects1: { Effect: "Allow", Action: "s3:GetObject", Resource: `${UPLOADS}/avatars/*` },
                ListObjects1: {
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: UPLOADS,
                    Condition: { StringLike: { "s3:prefix": "avatars/*" } },
                },
                WriteObjects1: {
                    Effect: "Allow",
                    Action: ["s3:PutObject", "s3:DeleteObject"],
                    Resource: `${UPLOADS}/avatars/*`,
                },
                BucketKey1: {
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: UPLOADS_KEY,
                    Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
                },
                // Read-only by default, the whole bucket, no key given.
                ReadObjects2: { Effect: "Allow", Action: "s3:GetObject", Resource: `${ASSETS}/*` },
                ListObjects2: { Effect: "Allow", Action: "s3:ListBucket", Resource: ASSETS },
                ReadRuntimeSecrets: {
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: [JWT_SECRET],
                },
                DecryptRuntimeSecrets: {
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: [APP_KEY],
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
                },
                SendEmail: {
                    Effect: "Allow",
                    Action: ["ses:SendEmail", "ses:SendRawEmail"],
                    Resource: [`arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`],
                },
            });
        });

        it("sends mail only from the domain's addresses, through the configuration set and templates given", async () => {
            const identity = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`;
            const set = `arn:aws:ses:us-east-1:${ACCOUNT}:configuration-set/mail`;
            const template = `arn:aws:ses:us-east-1:${ACCOUNT}:template/WelcomeEmail`;
            const { rec } = await service({
                ...BASE,
                access: {
                    sesIdentityArns: [identity, set],
                    sesTemplateArns: [template],
                    sesFromAddresses: ["*@example.com"],
                },
            });
            expect(bySid(rolePolicy(rec, "api-task")).SendEmail).to.deep.equal({
                Effect: "Allow",
                Action: ["ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail"],
                Resource: [identity, set, template],
                Condition: { StringLike: { "ses:FromAddress": ["*@example.com"] } },
            });
        });

        it("reads a bucket key for reading only with Decrypt, and lists the secrets' shared key once", async () => {
            const { rec } = await service({
                ...BASE,
                secrets: [
                    { name: "A", secretArn: `${JWT_SECRET}a`, kmsKeyArn: APP_KEY },
                    { name: "B", secretArn: `${JWT_SECRET}b`, kmsKeyArn: APP_KEY },
                ],
                access: { buckets: [{ bucketArn: UPLOADS, kmsKeyArn: UPLOADS_KEY }] },
            });
            expect(bySid(rolePolicy(rec, "api-task")).BucketKey1.Action).to.equal("kms:Decrypt");
            expect(bySid(rolePolicy(rec, "api-execution")).DecryptInjectedSecrets.Resource).to.deep.equal([APP_KEY]);
        });

        it("sets the permissions boundary and the stack's IAM path on both roles", async () => {
            const boundary = `arn:aws:iam::${ACCOUNT}:policy/deploy-boundary`;
            const { rec } = await service({ ...BASE, permissionsBoundaryArn: boundary });
            for (const role of rec.ofType(T.role)) {
                expect(role.props.permissionsBoundary, role.name).to.equal(boundary);
                // The stack's IAM path, the only one the bounded deploy role may create roles under.
                expect(role.props.path, role.name).to.match(/^\/[^/]+\/[^/]+\/$/);
            }
            expect(rec.ofType(T.role)).to.have.length(2);
        });

        it("scales on requests per target and on queue backlog per task (metric math) when asked", async () => {
            const { rec } = await service({
                ...API,
                requestsPerTarget: 500,
                targetGroupResourceLabel: "app/web/0123456789abcdef/targetgroup/api/0123456789abcdef",
                queueScaling: { queueName: "groundwork-test-jobs-abc", messagesPerTask: 10 },
                cpuTargetPercent: 70,
                scaleInCooldownSeconds: 600,
            });
            const config = (name: string) =>
                rec.one(T.policy, name).props.targetTrackingScalingPolicyConfiguration as Record<string, unknown>;
            expect(config("api-cpu")).to.deep.include({ targetValue: 70, scaleInCooldown: 600 });
            expect(config("api-requests")).to.deep.equal({
                targetValue: 500,
                scaleInCooldown: 600,
                scaleOutCooldown: 60,
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: "app/web/0123456789abcdef/targetgroup/api/0123456789abcdef",
                },
            });
            expect(config("api-backlog")).to.deep.equal({
                targetValue: 10,
                scaleInCooldown: 600,
                scaleOutCooldown: 60,
                customizedMetricSpecification: {
                    metrics: [
                        {
                            id: "m1",
                            label: "Messages waiting in the queue",
                            metricStat: {
                                metric: {
                                    namespace: "AWS/SQS",
                                    metricName: "ApproximateNumberOfMessagesVisible",
                                    dimensions: [{ name: "QueueName", value: "groundwork-test-jobs-abc" }],
                                },
                                stat: "Sum",
                            },
                            returnData: false,
                        },
                        {
                            id: "m2",
                            label: "Running tasks of the service",
                            metricStat: {
                                metric: {
                                    namespace: "ECS/ContainerInsights",
                                    metricName: "RunningTaskCount",
                                    dimensions: [
                                        { name: "ClusterName", value: CLUSTER },
                                        { name: "ServiceName", value: "groundwork-test-api" },
                                    ],
                                },
                                stat: "Average",
                            },
                            returnData: false,
                        },
                        { id: "e1", label: "Backlog per task", expression: "m1 / m2", returnData: true },
                    ],
                },
            });
        });

        it("keeps a fixed count without scaling policies when minCount equals maxCount", async () => {
            const { rec } = await service({ ...BASE, desiredCount: 1, minCount: 1, maxCount: 1 });
            expect(rec.one(T.target, "api-scaling").props).to.include({ minCapacity: 1, maxCapacity: 1 });
            expect(rec.ofType(T.policy)).to.deep.equal([]);
        });

        it("has no running-tasks alarm when minCount is 0 (nothing can be below it)", async () => {
            const { rec } = await service({ ...BASE, desiredCount: 0, minCount: 0, maxCount: 2 });
            expect(rec.ofType(T.alarm).map((a) => a.name)).to.deep.equal(["api-cpu-high", "api-memory-high"]);
        });
    });

    describe("first deploy (no image yet)", () => {
        it("creates the repository and a service of 0 tasks on the bootstrap tag, with no scaling to start any", async () => {
            const { rec, svc } = await service({ ...API, imageTag: undefined });
            expect(rec.one(T.service, "api").props.desiredCount).to.equal(0);
            expect(rec.one(T.service, "api").options.ignoreChanges).to.deep.equal(["desiredCount"]);
            expect(containerOf(rec).image).to.equal(
                `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/groundwork-test/api:${BOOTSTRAP_IMAGE_TAG}`,
            );
            expect(await promiseOf(svc.imageUri)).to.match(new RegExp(`:${BOOTSTRAP_IMAGE_TAG}$`));
            expect(rec.ofType(T.repository)).to.have.length(1);
            expect(rec.ofType(T.target)).to.deep.equal([]);
            expect(rec.ofType(T.policy)).to.deep.equal([]);
            expect(rec.ofType(T.alarm).map((a) => a.name)).to.deep.equal(["api-cpu-high", "api-memory-high"]);
        });

        it("then, with the pushed tag, registers the scaling target that raises the count to minCount", async () => {
            const { rec } = await service(API);
            expect(rec.one(T.target, "api-scaling").props).to.include({ minCapacity: 2 });
            expect(rec.ofType(T.alarm).map((a) => a.name)).to.include("api-running-tasks");
        });
    });

    describe("physical names", () => {
        const stable = (r: PlannedResource) => ({
            urn: r.urn,
            name: r.props.name,
            family: r.props.family,
        });

        it("stay the same when the size and counts change", async () => {
            const small = await service(API);
            const large = await service({
                ...API,
                cpu: 2048,
                memory: 8192,
                desiredCount: 4,
                minCount: 4,
                maxCount: 20,
                architecture: "arm64",
                spotWeight: 3,
                fargateBase: 1,
            });
            const named = (rec: Recorded) =>
                rec.resources
                    .filter((r) => [T.repository, T.logGroup, T.service, T.taskDefinition].includes(r.type))
                    .map(stable);
            expect(named(large.rec)).to.deep.equal(named(small.rec));
            expect(small.rec.resources.map((r) => r.urn)).to.deep.equal(large.rec.resources.map((r) => r.urn));
            expect(large.rec.one(T.taskDefinition, "api").props.cpu).to.equal("2048");
        });

        it("derive from project, stack and name", () => {
            expect(fargateServiceNames("api")).to.deep.equal({
                repositoryName: "groundwork-test/api",
                serviceName: "groundwork-test-api",
                logGroupName: "/ecs/groundwork-test/api",
                family: "groundwork-test-api",
            });
        });
    });

    describe("against the policy pack, wired to a real cluster", () => {
        async function stack(extra: Partial<FargateServiceArgs> = {}): Promise<Recorded> {
            return run(() => {
                const topic = new sns.Topic("alarms", {});
                new sns.TopicSubscription("alarms-ops", {
                    topic: topic.arn,
                    protocol: "email",
                    endpoint: "ops@example.com",
                });
                const cluster = new Cluster("cluster", {});
                new FargateService("api", {
                    ...API,
                    clusterArn: cluster.clusterArn,
                    clusterName: cluster.clusterName,
                    enableExecuteCommand: true,
                    execLogGroupArn: cluster.execLogGroupArn,
                    execKmsKeyArn: cluster.logsKmsKeyArn,
                    repositoryKmsKeyArn: cluster.imagesKmsKeyArn,
                    access: {
                        consumeQueueArns: [JOBS],
                        buckets: [{ bucketArn: UPLOADS, write: true, kmsKeyArn: UPLOADS_KEY }],
                    },
                    queueScaling: { queueName: "jobs", messagesPerTask: 10 },
                    logKmsKeyArn: cluster.logsKmsKeyArn,
                    alarmTopicArn: topic.arn,
                    ...extra,
                });
            });
        }
        const ofService = (report: ReturnType<typeof evaluate>) =>
            report.violations.filter((v) => v.urn?.includes("groundwork:index:FargateService"));

        it("trips no rule in dev, and every ECS rule passes on its resources", async () => {
            const report = evaluate((await stack()).resources, {}, "dev");
            expect(ofService(report).map((v) => `${v.policyName}: ${v.message}`)).to.deep.equal([]);
            for (const policy of [
                "iam-no-wildcard",
                "iam-ecs-roles",
                "iam-ecs-secrets",
                "iam-role-trust",
                "iam-ecs-nonroot",
                "iam-ecs-env-values",
                "iam-ecs-task-role-per-service",
                "log-ecs-containers",
                "alarm-ecs",
                "alarm-actions",
                "alarm-ok-actions",
                "net-ecs-no-public-ip",
                "net-sg-ingress",
                "res-ecs-deploy",
                "res-ecr-lifecycle",
                "enc-cmk-misc",
                "enc-cmk-managed",
            ]) {
                expectClean(report, policy);
            }
        });

        it("in prod, the advisory log-retention wants a year: 30 days is reported, 365 is clean", async () => {
            const month = evaluate((await stack({ protect: true })).resources, {}, "prod");
            expect(ofService(month).map((v) => v.policyName)).to.deep.equal(["log-retention"]);
            const year = evaluate((await stack({ protect: true, logRetentionDays: 365 })).resources, {}, "prod");
            expect(ofService(year)).to.deep.equal([]);
        });

        it("without a user, the advisory iam-ecs-nonroot reports that the image's user decides", async () => {
            const report = evaluate((await stack({ user: undefined })).resources, {}, "dev");
            expectViolation(report, "iam-ecs-nonroot", "container api sets no user");
            expect(violationsOf(report, "iam-ecs-nonroot")[0].enforcementLevel).to.equal("advisory");
        });
    });

    describe("argument checks", () => {
        const secret = { name: "DB", secretArn: DB_SECRET };
        const cases: [string, Partial<FargateServiceArgs> & Record<string, unknown>, string][] = [
            ["clusterArn", { clusterArn: undefined }, "clusterArn is required"],
            ["subnetIds", { subnetIds: [] }, "subnetIds is empty"],
            ["alarmTopicArn", { alarmTopicArn: undefined }, "alarmTopicArn is required"],
            ["logKmsKeyArn", { logKmsKeyArn: undefined }, "logKmsKeyArn is required"],
            ["imageTag with image", { image: "nginx:1.27" }, "imageTag is set together with image"],
            ["image format", { imageTag: undefined, image: "Not An Image" }, "image is"],
            ["imageTag format", { imageTag: "-bad" }, "imageTag is"],
            ["imageTag latest", { imageTag: "latest" }, 'imageTag is "latest"'],
            ["imageTag bootstrap", { imageTag: BOOTSTRAP_IMAGE_TAG }, 'imageTag is "bootstrap", the tag reserved'],
            ["cpu", { cpu: 300 }, "cpu is invalid: cpu 300 is not a Fargate task size"],
            ["memory", { cpu: 256, memory: 4096 }, "memory is invalid: memory 4096 does not go with cpu 256"],
            ["architecture", { architecture: "arm" }, 'architecture is "arm"; allowed: x86_64, arm64'],
            [
                "desiredCount range",
                { desiredCount: 1001 },
                "desiredCount is 1001; must be a whole number from 0 to 1000",
            ],
            ["maxCount 0", { maxCount: 0, minCount: 0, desiredCount: 0 }, "maxCount is 0"],
            ["minCount above maxCount", { minCount: 3, maxCount: 2 }, "minCount is 3, above maxCount (2)"],
            [
                "desiredCount below minCount",
                { desiredCount: 1, minCount: 2, maxCount: 4 },
                "desiredCount is 1, outside",
            ],
            ["desiredCount above maxCount", { desiredCount: 5, maxCount: 4 }, "desiredCount is 5, outside"],
            ["port", { port: 70000 }, "port is 70000"],
            ["healthCheckPath", { port: 80, healthCheckPath: "health" }, "healthCheckPath is"],
            ["healthCheckPath space", { port: 80, healthCheckPath: "/a b" }, "healthCheckPath is"],
            ["healthCheckCommand", { healthCheckCommand: ["curl", "x"] }, "healthCheckCommand is"],
            ["command", { command: [] }, "command has no elements"],
            ["user root", { user: "root" }, 'user is "root", which is root'],
            ["user 0:0", { user: "0:0" }, 'user is "0:0", which is root'],
            ["user format", { user: "a b" }, "user is"],
            ["environment name", { environment: { "1BAD": "x" } }, 'environment has "1BAD"'],
            ["environment SERVICE_NAME", { environment: { SERVICE_NAME: "x" } }, "environment sets SERVICE_NAME"],
            ["secret name", { secrets: [{ ...secret, name: "bad-name" }] }, "secrets[0].name is"],
            ["secret clash", { environment: { DB: "x" }, secrets: [secret] }, "secrets[0].name is DB, which"],
            ["secret duplicate", { secrets: [secret, secret] }, "secrets[1].name is DB, which"],
            ["secret jsonKey", { secrets: [{ ...secret, jsonKey: "a:b" }] }, "secrets[0].jsonKey is"],
            [
                "bucket prefix slash",
                { access: { buckets: [{ bucketArn: UPLOADS, prefix: "/a/" }] } },
                "access.buckets[0].prefix is",
            ],
            [
                "bucket prefix wildcard",
                { access: { buckets: [{ bucketArn: UPLOADS, prefix: "a*/" }] } },
                "access.buckets[0].prefix is",
            ],
            [
                "bucket grants nothing",
                { access: { buckets: [{ bucketArn: UPLOADS, read: false }] } },
                "access.buckets[0] grants neither",
            ],
            ["fargateWeight", { fargateWeight: 1001 }, "fargateWeight is 1001"],
            ["spotWeight", { spotWeight: -1 }, "spotWeight is -1"],
            ["fargateBase", { fargateBase: 100001 }, "fargateBase is 100001"],
            ["no weight", { fargateWeight: 0, spotWeight: 0 }, "fargateWeight and spotWeight are both 0"],
            [
                "spot on EC2",
                { capacityProviderName: "cp", spotWeight: 1 },
                "spotWeight is set together with capacityProviderName",
            ],
            [
                "base on EC2",
                { capacityProviderName: "cp", fargateBase: 1 },
                "fargateBase is set together with capacityProviderName",
            ],
            ["exec log group", { enableExecuteCommand: true, execKmsKeyArn: LOG_KEY }, "execLogGroupArn is required"],
            ["exec key", { enableExecuteCommand: true, execLogGroupArn: EXEC_GROUP }, "execKmsKeyArn is required"],
            ["logGroupName", { logGroupName: "bad name" }, "logGroupName is"],
            [
                "logRetentionDays",
                { logRetentionDays: 10 },
                "logRetentionDays is 10, which is not a CloudWatch Logs retention period",
            ],
            [
                "stopTimeoutSeconds",
                { stopTimeoutSeconds: 121 },
                "stopTimeoutSeconds is 121; must be a whole number from 1 to 120",
            ],
            ["targetGroupArns without port", { targetGroupArns: ["tg"] }, "targetGroupArns needs port"],
            [
                "lb group without port",
                { loadBalancerSecurityGroupId: "sg-1" },
                "loadBalancerSecurityGroupId needs port",
            ],
            [
                "grace without target groups",
                { healthCheckGracePeriodSeconds: 30 },
                "healthCheckGracePeriodSeconds is set without targetGroupArns",
            ],
            [
                "grace range",
                { port: 80, targetGroupArns: ["tg"], healthCheckGracePeriodSeconds: 7201 },
                "healthCheckGracePeriodSeconds is 7201",
            ],
            [
                "requests without target groups",
                { requestsPerTarget: 100, targetGroupResourceLabel: "l" },
                "requestsPerTarget needs targetGroupArns",
            ],
            [
                "requests without label",
                { port: 80, targetGroupArns: ["tg"], requestsPerTarget: 100 },
                "targetGroupResourceLabel is required",
            ],
            [
                "requests range",
                { port: 80, targetGroupArns: ["tg"], requestsPerTarget: 0, targetGroupResourceLabel: "l" },
                "requestsPerTarget is 0",
            ],
            [
                "label alone",
                { targetGroupResourceLabel: "l" },
                "targetGroupResourceLabel is set without requestsPerTarget",
            ],
            ["cpuTargetPercent", { cpuTargetPercent: 0 }, "cpuTargetPercent is 0"],
            ["memoryTargetPercent", { memoryTargetPercent: 101 }, "memoryTargetPercent is 101"],
            ["scaleInCooldownSeconds", { scaleInCooldownSeconds: -1 }, "scaleInCooldownSeconds is -1"],
            ["scaleOutCooldownSeconds", { scaleOutCooldownSeconds: 1.5 }, "scaleOutCooldownSeconds is 1.5"],
            [
                "queueScaling.messagesPerTask",
                { queueScaling: { queueName: "q", messagesPerTask: 0 } },
                "queueScaling.messagesPerTask is 0",
            ],
            [
                "queueScaling.queueName",
                { queueScaling: { queueName: "", messagesPerTask: 5 } },
                "queueScaling.queueName is required",
            ],
        ];
        for (const [what, override, message] of cases) {
            it(`rejects ${what}, naming the argument`, () => {
                const args = { ...BASE, ...override } as FargateServiceArgs;
                expect(() => normalizeFargateServiceArgs("api", args)).to.throw(
                    `FargateService "api": args.${message}`,
                );
            });
        }

        it("rejects a name that cannot name a container", () => {
            expect(() => normalizeFargateServiceArgs("my api", BASE)).to.throw(/FargateService "my api": args\.name/);
        });

        it("fails in the constructor too, before declaring anything", async () => {
            let error: unknown;
            const rec = await run(() => {
                try {
                    new FargateService("api", { ...BASE, cpu: 300 });
                } catch (e) {
                    error = e;
                }
            });
            expect(String(error)).to.contain("args.cpu");
            expect(rec.resources.filter((r) => r.custom)).to.deep.equal([]);
        });

        it("applies the documented defaults", () => {
            expect(normalizeFargateServiceArgs("api", BASE)).to.deep.include({
                cpu: 256,
                memory: 512,
                architecture: "x86_64",
                desiredCount: 1,
                minCount: 1,
                maxCount: 2,
                fargateWeight: 1,
                spotWeight: 0,
                fargateBase: 0,
                logGroupName: "/ecs/groundwork-test/api",
                logRetentionDays: 30,
                stopTimeoutSeconds: 30,
                cpuTargetPercent: 70,
                memoryTargetPercent: 80,
                scaleInCooldownSeconds: 300,
                scaleOutCooldownSeconds: 60,
                bootstrap: false,
                protect: false,
            });
            const defaults = normalizeFargateServiceArgs("api", BASE);
            expect([defaults.exec, defaults.ec2, defaults.healthCheckGracePeriodSeconds, defaults.port]).to.deep.equal([
                undefined,
                undefined,
                undefined,
                undefined,
            ]);
            expect(normalizeFargateServiceArgs("api", { ...BASE, imageTag: undefined }).bootstrap).to.equal(true);
            expect(
                normalizeFargateServiceArgs("api", { ...BASE, imageTag: undefined, image: "nginx" }).bootstrap,
            ).to.equal(false);
        });

        it("accepts the edges: a fixed count of 0 tasks, 120 s to stop, a Spot-only service with a Fargate base", () => {
            expect(() =>
                normalizeFargateServiceArgs("api", {
                    ...BASE,
                    desiredCount: 0,
                    minCount: 0,
                    maxCount: 1,
                    stopTimeoutSeconds: 120,
                    fargateWeight: 0,
                    fargateBase: 1,
                    spotWeight: 1,
                    user: "app:app",
                }),
            ).not.to.throw();
        });
    });

    describe("helpers", () => {
        it("finds the repository of a private ECR image and nothing for other registries", () => {
            expect(ecrRepositoryOfImage(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2`)).to.deep.equal({
                account: ACCOUNT,
                region: "eu-west-1",
                partition: "aws",
                repository: "team/app",
            });
            expect(
                ecrRepositoryOfImage(`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/app@sha256:${"b".repeat(64)}`),
            ).to.deep.include({ partition: "aws-cn", repository: "app" });
            for (const image of ["public.ecr.aws/nginx/nginx:1", "nginx:1.27", "ghcr.io/org/app:2"]) {
                expect(ecrRepositoryOfImage(image), image).to.equal(undefined);
            }
        });

        it("keeps the newest tagged images and expires untagged ones", () => {
            const rules = JSON.parse(ecrLifecyclePolicy()).rules;
            expect(rules).to.deep.equal([
                {
                    rulePriority: 1,
                    description: `Expire untagged images after ${ECR_UNTAGGED_EXPIRY_DAYS} days`,
                    selection: {
                        tagStatus: "untagged",
                        countType: "sinceImagePushed",
                        countUnit: "days",
                        countNumber: 7,
                    },
                    action: { type: "expire" },
                },
                {
                    rulePriority: 2,
                    description: `Keep the newest ${ECR_KEEP_TAGGED_IMAGES} tagged images`,
                    selection: {
                        tagStatus: "tagged",
                        tagPatternList: ["*"],
                        countType: "imageCountMoreThan",
                        countNumber: 30,
                    },
                    action: { type: "expire" },
                },
            ]);
        });
    });
});
