import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
import { policyDocument } from "./common";
import { KmsKey, createKmsKey } from "./kms-key";
import { ArgChecker } from "./internal/args";
import { ecsLogGroupPrefix, stackIamPath, stackScopedName } from "./internal/naming";
import { logRetentionProblem } from "./internal/rules";
import { ROLE_TAG } from "./internal/security-groups";

/** Where the cluster's tasks run: Fargate only, or also an EC2 Auto Scaling group of ECS container instances. */
export const CLUSTER_CAPACITIES = ["fargate", "ec2"] as const;
export type ClusterCapacity = (typeof CLUSTER_CAPACITIES)[number];

/**
 * The Container Insights levels the component offers (the ECS `containerInsights` cluster setting
 * also takes `disabled`, which the policy pack's `log-ecs-containers` and `alarm-ecs` refuse).
 */
export const CONTAINER_INSIGHTS_MODES = ["enhanced", "enabled"] as const;
export type ContainerInsightsMode = (typeof CONTAINER_INSIGHTS_MODES)[number];

/** Defaults of the EC2 capacity (seed 001: t3.medium, 2-10 instances). */
export const EC2_CAPACITY_DEFAULTS = { instanceType: "t3.medium", minSize: 2, maxSize: 10, rootVolumeGb: 30 } as const;

/**
 * Root volume bounds (GiB): the ECS-optimized Amazon Linux AMIs ship a 30 GiB root snapshot, and a
 * launch with a smaller volume fails; 16 TiB is the gp3 maximum.
 */
export const EC2_ROOT_VOLUME_GB = { min: 30, max: 16384 } as const;

/** Instance counts the component accepts for the Auto Scaling group (a guard against typos, not an AWS limit). */
export const EC2_INSTANCE_COUNT = { min: 0, max: 1000 } as const;

/** `family.size`, e.g. `t3.medium`, `m7i-flex.large`, `u-6tb1.metal`. */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/**
 * Graviton (arm64) families carry a `g` right after the generation digit (`t4g`, `m7g`, `c6gn`,
 * `x2gd`, `g5g`), plus the first-generation `a1`.
 */
export function isGravitonInstanceType(instanceType: string): boolean {
    return /^(a1|[a-z]+\d+g[a-z-]*)\./.test(instanceType);
}

/**
 * The public SSM parameter naming the recommended ECS-optimized Amazon Linux 2023 AMI for an
 * instance type's architecture (Amazon ECS Developer Guide, "Retrieving Amazon ECS-optimized Linux
 * AMI metadata"). GPU and Inferentia variants have parameters of their own and are not chosen here.
 */
export function ecsOptimizedAmiParameter(instanceType: string): string {
    return isGravitonInstanceType(instanceType)
        ? "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
        : "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
}

/**
 * A capacity provider name: ECS refuses names that start with `aws`, `ecs` or `fargate`
 * (CreateCapacityProvider), which a project or component named `ecs…` would produce, so those get
 * a `cp-` prefix. At most 255 characters.
 */
export function capacityProviderName(base: string): string {
    const name = /^(aws|ecs|fargate)/i.test(base) ? `cp-${base}` : base;
    return name.slice(0, 255).replace(/-+$/, "");
}

/**
 * The container instances' user data: join this cluster, and keep awsvpc tasks away from the
 * instance metadata service, so a task can never use the instance role's credentials (ECS
 * Developer Guide, "Task IAM role": `ECS_AWSVPC_BLOCK_IMDS`). Task roles themselves come from the
 * agent's credential endpoint, not IMDS. `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` lets the
 * awslogs driver write with each task's execution role (ecs-init sets it too; it is stated here so
 * the instance role needs no CloudWatch Logs access). No ENI trunking settings: trunking is an
 * account setting, and the default t3 family does not support it.
 */
export function ecsUserData(clusterName: string): string {
    return [
        "#!/bin/bash",
        "cat <<'EOF' >> /etc/ecs/ecs.config",
        `ECS_CLUSTER=${clusterName}`,
        "ECS_ENABLE_TASK_IAM_ROLE=true",
        "ECS_AWSVPC_BLOCK_IMDS=true",
        "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true",
        "EOF",
        "",
    ].join("\n");
}

export interface ClusterArgs {
    /**
     * Container Insights level: `enhanced` (task- and container-level metrics on top of the
     * cluster and service ones) or `enabled`. Enhanced observability dates from December 2024;
     * where a region or partition does not offer it, ECS refuses the cluster setting at create
     * (`InvalidParameterException`, as for any value it does not accept) and the stack sets
     * `enabled`: the component never falls back silently.
     * @default "enhanced"
     */
    containerInsights?: string;
    /**
     * Days the ECS Exec session log group keeps its logs (a CloudWatch Logs retention period:
     * 1, 3, 5, 7, 14, 30, 60, 90, …, 3653).
     * @default 30
     */
    execLogRetentionDays?: number;
    /**
     * `fargate`: FARGATE and FARGATE_SPOT only. `ec2`: also an Auto Scaling group of ECS container
     * instances behind a managed capacity provider, which becomes the cluster's default strategy.
     * @default "fargate"
     */
    capacity?: string;
    /**
     * Instance type of the EC2 capacity (used only with `capacity: ec2`). A Graviton type (`t4g`,
     * `m7g`, …) gets the arm64 ECS-optimized AMI. Note t3.medium has 3 network interfaces, so at
     * most 2 awsvpc tasks fit on one instance (the primary interface is the instance's), and the t3
     * family does not support ENI trunking.
     * @default "t3.medium"
     */
    ec2InstanceType?: string;
    /**
     * Fewest instances of the EC2 capacity (used only with `capacity: ec2`); ECS managed scaling
     * moves the desired count between this and `ec2MaxSize`.
     * @default 2
     */
    ec2MinSize?: number;
    /**
     * Most instances of the EC2 capacity (used only with `capacity: ec2`). Cost: each t3.medium ≈ $30/month.
     * @default 10
     */
    ec2MaxSize?: number;
    /**
     * Size of the encrypted gp3 root volume of each instance, in GiB (at least the AMI's 30), shared
     * by the OS, Docker images and container writable layers. Used only with `capacity: ec2`.
     * @default 30
     */
    ec2RootVolumeGb?: number;
    /**
     * The VPC of the EC2 capacity's security group. Required with `capacity: ec2`; changing it
     * replaces the security group.
     * @default undefined
     */
    vpcId?: pulumi.Input<string>;
    /**
     * Private subnets the Auto Scaling group launches instances in (one per AZ). Required with
     * `capacity: ec2`. Instances get no public IP: they reach ECS and ECR through NAT or VPC endpoints.
     * @default undefined
     */
    subnetIds?: pulumi.Input<string>[];
    /**
     * Permissions boundary set on every IAM role the component creates (the EC2 instance role),
     * for accounts whose deploy role may only create bounded roles.
     * @default undefined (no boundary)
     */
    permissionsBoundaryArn?: pulumi.Input<string>;
    /**
     * Protect the cluster's KMS key (`protect` and `retainOnDelete`): it encrypts the exec session
     * logs and every service's log group, which are unreadable without it. Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The raw children of a {@link Cluster}. An interface, so that the component package's schema can carry it. */
export interface ClusterNodes {
    cluster: ecs.Cluster;
    capacityProviders: ecs.ClusterCapacityProviders;
    key: KmsKey;
    imagesKey: KmsKey;
    execLogGroup: cloudwatch.LogGroup;
    /** Only with `capacity: ec2`. */
    ec2?: Ec2CapacityNodes;
}

/**
 * The ECS cluster every service of the stack runs in: Container Insights (`enhanced` by default),
 * ECS Exec sessions logged to a KMS-encrypted log group of their own and encrypted end to end with
 * the same customer-managed key, and the FARGATE and FARGATE_SPOT capacity providers (default
 * strategy: FARGATE). With `capacity: ec2` (seed 001) it adds an Auto Scaling group of ECS-optimized
 * Amazon Linux 2023 instances (IMDSv2 only, no public IP, encrypted gp3 root, private subnets, an
 * instance role with only the agent's ECS calls) behind a capacity provider with managed scaling
 * (target 100 %) and managed termination protection, which becomes the default strategy.
 *
 * A component of its own rather than part of each service: one cluster is shared by all services,
 * so exec logging, the log key and the capacity are decided in one place, and a service only takes
 * a cluster name (`clusterArn`, `clusterName`) like any other ID.
 *
 * The key (`logsKmsKeyArn`) also encrypts the services' log groups: CloudWatch Logs may use it for
 * the exec group and for every group under `serviceLogGroupPrefix` (`/ecs/<project>-<stack>/`).
 *
 * What a service needs for ECS Exec with this logging (ECS Developer Guide, "Using Amazon ECS Exec",
 * IAM permissions for logging and for encryption with your own KMS key), in its **task** role:
 * `ssmmessages:CreateControlChannel`, `CreateDataChannel`, `OpenControlChannel`, `OpenDataChannel`
 * (Resource `*`); `logs:DescribeLogGroups` (Resource `*`); `logs:CreateLogStream`,
 * `logs:DescribeLogStreams`, `logs:PutLogEvents` on `${execLogGroupArn}:*`; `kms:Decrypt` on
 * `logsKmsKeyArn`. Its image needs `script` and `cat` for the session to be logged. Whoever runs
 * `aws ecs execute-command` needs `ecs:ExecuteCommand` on the task and `kms:GenerateDataKey` on
 * `logsKmsKeyArn`. Writing the services' own log groups needs no KMS permission (CloudWatch Logs
 * encrypts with its own grant).
 *
 * With `capacity: ec2`, tasks must carry an execution role (every Groundwork service does): the
 * agent pulls ECR images and writes awslogs with it, so the instance role has no ECR or Logs access.
 * New instances resolve the AMI at launch from the public SSM parameter, so a new ECS-optimized AMI
 * release changes nothing in the stack and replaces no instance; instances launched later run it.
 *
 * ```ts
 * const cluster = new Cluster("cluster", { protect: true });
 * // seed 001: EC2 capacity
 * const ec2Cluster = new Cluster("cluster", {
 *     capacity: "ec2",
 *     vpcId: network.vpcId,
 *     subnetIds: network.privateSubnetIds,
 * });
 * ```
 *
 * **Cost**: the cluster and capacity providers are free; Container Insights is CloudWatch usage:
 * `enabled` metrics are billed as custom metrics (≈ $0.30/metric/month) and `enhanced` on a tiered
 * price per observation (CloudWatch pricing, "Container Insights"), growing with tasks and
 * containers; KMS key $1/month + requests; exec logs $0.50/GB ingested + storage. With
 * `capacity: ec2`: t3.medium ≈ $0.0416/h × 730 h ≈ $30/month each (2 ≈ $61/month, 10 ≈ $304/month;
 * t3 runs in unlimited mode, so sustained CPU above baseline adds surplus-credit charges) + the
 * 30 GB gp3 root volume ≈ $2.40/month each.
 */
export class Cluster extends pulumi.ComponentResource {
    /**
     * The cluster name (the `ClusterName` dimension of ECS metrics). Resolves once the capacity
     * providers are associated: a service created with a capacity-provider strategy before the
     * association exists is refused by ECS.
     */
    readonly clusterName: pulumi.Output<string>;
    /** The cluster ARN, for a service's `cluster`; like `clusterName`, it waits for the capacity providers. */
    readonly clusterArn: pulumi.Output<string>;
    /** `fargate` or `ec2`: which capacity providers a service may use. */
    readonly capacity: string;
    /** The EC2 capacity provider's name, for a service's capacity-provider strategy (only with `capacity: ec2`). */
    readonly ec2CapacityProviderName?: pulumi.Output<string>;
    /** The ECS Exec session log group (KMS-encrypted with `logsKmsKeyArn`). */
    readonly execLogGroupName: pulumi.Output<string>;
    /** ARN of the exec log group; a task role with exec on writes `${execLogGroupArn}:*`. */
    readonly execLogGroupArn: pulumi.Output<string>;
    /**
     * The customer-managed key of exec sessions, exec logs and the services' log groups (each
     * service's group under `serviceLogGroupPrefix` sets it as `kmsKeyId`).
     */
    readonly logsKmsKeyArn: pulumi.Output<string>;
    /**
     * The customer-managed key for the services' image repositories (`FargateService`'s
     * `repositoryKmsKeyArn`). ECR grants itself its use when a repository is created (the creator
     * needs `kms:CreateGrant` and `kms:DescribeKey`); pushers and pullers need no KMS permission
     * (ECR User Guide, "Encryption at rest"). One key for the stack's repositories: $1/month.
     */
    readonly imagesKmsKeyArn: pulumi.Output<string>;
    /** `/ecs/<project>-<stack>/`: a service logs to `${serviceLogGroupPrefix}<service>`. */
    readonly serviceLogGroupPrefix: string;
    /** The raw children, for advanced use. */
    readonly nodes: ClusterNodes;

    private readonly name: string;

    constructor(name: string, args: ClusterArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:Cluster", name, {}, opts);
        this.name = name;
        const cfg = normalizeClusterArgs(name, args);

        const { key, execLogGroup } = this.createExecLogging(cfg);
        const imagesKey = createKmsKey(
            `${this.name}-images-key`,
            { description: `Encrypts the container images of the services on ${this.name}`, protect: cfg.protect },
            this,
        );
        const cluster = this.createCluster(cfg, key, execLogGroup);
        const ec2Nodes = cfg.ec2 ? this.createEc2Capacity(cfg.ec2, cfg.permissionsBoundaryArn, cluster) : undefined;
        const capacityProviders = this.createCapacityProviders(cluster, ec2Nodes?.capacityProvider);

        // Both depend on the association as well as the cluster, so a service built from them is
        // created only once its capacity providers belong to the cluster; the Output edge to the
        // cluster stays, which the policy pack's alarm-ecs follows to check Container Insights.
        this.clusterName = pulumi.all([cluster.name, capacityProviders.clusterName]).apply(([n]) => n);
        this.clusterArn = pulumi.all([cluster.arn, capacityProviders.clusterName]).apply(([arn]) => arn);
        this.capacity = cfg.capacity;
        this.ec2CapacityProviderName = ec2Nodes?.capacityProvider.name;
        this.execLogGroupName = execLogGroup.name;
        this.execLogGroupArn = execLogGroup.arn;
        this.logsKmsKeyArn = key.key.arn;
        this.imagesKmsKeyArn = imagesKey.key.arn;
        this.serviceLogGroupPrefix = cfg.serviceLogGroupPrefix;
        this.nodes = { cluster, capacityProviders, key, imagesKey, execLogGroup, ec2: ec2Nodes };
        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            execLogGroupName: this.execLogGroupName,
            logsKmsKeyArn: this.logsKmsKeyArn,
            imagesKmsKeyArn: this.imagesKmsKeyArn,
        });
    }

    /**
     * One customer-managed key for exec sessions and all ECS log groups of the stack: CloudWatch
     * Logs is granted the exec group and everything under the services' prefix (and nothing
     * else). `cloudWatchEncryptionEnabled` requires the exec group to be encrypted with a
     * customer-managed key (ECS Developer Guide, "Logging and auditing using ECS Exec").
     */
    private createExecLogging(cfg: NormalizedClusterArgs): { key: KmsKey; execLogGroup: cloudwatch.LogGroup } {
        const key = createKmsKey(
            `${this.name}-key`,
            {
                description: `Encrypts ECS Exec sessions and the ECS log groups of ${this.name}`,
                cloudWatchLogGroupNames: [cfg.execLogGroupName, `${cfg.serviceLogGroupPrefix}*`],
                protect: cfg.protect,
            },
            this,
        );
        // Not protected: the name is fixed, so a retained group would block a re-created stack;
        // its retention decides how long the audit trail lives.
        const execLogGroup = new cloudwatch.LogGroup(
            `${this.name}-exec`,
            { name: cfg.execLogGroupName, retentionInDays: cfg.execLogRetentionDays, kmsKeyId: key.key.arn },
            { parent: this },
        );
        return { key, execLogGroup };
    }

    private createCluster(cfg: NormalizedClusterArgs, key: KmsKey, execLogGroup: cloudwatch.LogGroup): ecs.Cluster {
        return new ecs.Cluster(
            this.name,
            {
                // A readable, stack-scoped name: operators type it (`aws ecs execute-command --cluster`).
                name: stackScopedName(this.name, 255),
                settings: [{ name: "containerInsights", value: cfg.containerInsights }],
                configuration: {
                    executeCommandConfiguration: {
                        kmsKeyId: key.key.arn,
                        logging: "OVERRIDE",
                        logConfiguration: {
                            cloudWatchLogGroupName: execLogGroup.name,
                            cloudWatchEncryptionEnabled: true,
                        },
                    },
                },
            },
            { parent: this },
        );
    }

    /**
     * FARGATE and FARGATE_SPOT are always associated, so any service may choose them; the default
     * strategy (for a service that names none) is FARGATE, or the EC2 provider when there is one.
     */
    private createCapacityProviders(
        cluster: ecs.Cluster,
        ec2Provider: ecs.CapacityProvider | undefined,
    ): ecs.ClusterCapacityProviders {
        return new ecs.ClusterCapacityProviders(
            `${this.name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT", ...(ec2Provider ? [ec2Provider.name] : [])],
                defaultCapacityProviderStrategies: [
                    { capacityProvider: ec2Provider ? ec2Provider.name : "FARGATE", weight: 1, base: 0 },
                ],
            },
            { parent: this },
        );
    }

    private createEc2Capacity(
        ec2Cfg: NormalizedEc2Capacity,
        permissionsBoundaryArn: pulumi.Input<string> | undefined,
        cluster: ecs.Cluster,
    ): Ec2CapacityNodes {
        const { instanceRole, instanceRolePolicy, instanceProfile } = this.createInstanceRole(
            permissionsBoundaryArn,
            cluster,
        );
        const { securityGroup, httpsEgress } = this.createInstanceSecurityGroup(ec2Cfg.vpcId);
        const launchTemplate = this.createLaunchTemplate(ec2Cfg, cluster, instanceProfile, securityGroup);
        const autoScalingGroup = this.createAutoScalingGroup(ec2Cfg, launchTemplate, instanceRolePolicy);
        const capacityProvider = new ecs.CapacityProvider(
            `${this.name}-ec2`,
            {
                name: capacityProviderName(stackScopedName(`${this.name}-ec2`, 255)),
                autoScalingGroupProvider: {
                    autoScalingGroupArn: autoScalingGroup.arn,
                    // Requires the group's protectFromScaleIn: ECS lifts the protection only from
                    // instances without running tasks, so scale-in never kills a task.
                    managedTerminationProtection: "ENABLED",
                    managedDraining: "ENABLED",
                    // 100 %: no idle spare instance; ECS scales out when tasks are waiting for room.
                    managedScaling: { status: "ENABLED", targetCapacity: 100 },
                },
            },
            { parent: this },
        );
        return {
            instanceRole,
            instanceRolePolicy,
            instanceProfile,
            securityGroup,
            httpsEgress,
            launchTemplate,
            autoScalingGroup,
            capacityProvider,
        };
    }

    /**
     * The container instance role: the calls the ECS agent makes for this cluster and nothing else,
     * instead of the managed AmazonEC2ContainerServiceforEC2Role (`ecs:CreateCluster`, `ecs:Submit*`
     * on every cluster, ECR pulls and Logs writes on "*"). The statements are the scoped set the AWS
     * CDK grants its ECS Auto Scaling capacity: register/deregister/submit on this cluster, poll and
     * telemetry conditioned on it, and the one call with no resource-level permission
     * (`ecs:DiscoverPollEndpoint`). Images and logs go through each task's execution role. If a
     * future agent feature needs more, attach it to `nodes.ec2.instanceRole`.
     */
    private createInstanceRole(
        permissionsBoundaryArn: pulumi.Input<string> | undefined,
        cluster: ecs.Cluster,
    ): { instanceRole: iam.Role; instanceRolePolicy: iam.RolePolicy; instanceProfile: iam.InstanceProfile } {
        const instanceRole = new iam.Role(
            `${this.name}-instance`,
            {
                description: `ECS container instances of ${this.name}`,
                // Role and profile under the stack's path, where a bounded deploy role may manage them (see stackIamPath).
                path: stackIamPath(),
                assumeRolePolicy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            // EC2 assumes instance-profile roles without an aws:SourceAccount/SourceArn
                            // in the request, so the trust cannot carry that condition.
                            Principal: { Service: "ec2.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                permissionsBoundary: permissionsBoundaryArn,
            },
            { parent: this },
        );
        const instanceRolePolicy = new iam.RolePolicy(
            `${this.name}-instance`,
            {
                role: instanceRole.id,
                policy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "JoinThisCluster",
                            Effect: "Allow",
                            Action: ["ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance", "ecs:Submit*"],
                            Resource: cluster.arn,
                        },
                        {
                            // These act on a container instance, which does not exist before registration.
                            Sid: "PollThisCluster",
                            Effect: "Allow",
                            Action: ["ecs:Poll", "ecs:StartTelemetrySession"],
                            Resource: "*",
                            Condition: { ArnEquals: { "ecs:cluster": cluster.arn } },
                        },
                        {
                            Sid: "DiscoverEndpoints",
                            Effect: "Allow",
                            Action: "ecs:DiscoverPollEndpoint",
                            Resource: "*",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const instanceProfile = new iam.InstanceProfile(
            `${this.name}-instance`,
            { role: instanceRole.name, path: stackIamPath() },
            { parent: this },
        );
        return { instanceRole, instanceRolePolicy, instanceProfile };
    }

    /**
     * No ingress (tasks use awsvpc and have security groups of their own); egress only 443, which
     * the agent (ECS endpoints) and Docker (ECR, S3 layers) need. DNS and time use link-local
     * addresses that security groups do not filter.
     */
    private createInstanceSecurityGroup(vpcId: pulumi.Input<string>): {
        securityGroup: ec2.SecurityGroup;
        httpsEgress: vpc.SecurityGroupEgressRule;
    } {
        const securityGroup = new ec2.SecurityGroup(
            `${this.name}-instances`,
            {
                vpcId,
                // No inline rules: the provider then removes the allow-all egress AWS adds to a new group.
                description: `ECS container instances (${this.name})`,
                tags: { Name: `${this.name}-instances`, [ROLE_TAG]: "ecs-instances" },
            },
            { parent: this },
        );
        const httpsEgress = new vpc.SecurityGroupEgressRule(
            `${this.name}-instances-https-out`,
            {
                securityGroupId: securityGroup.id,
                description: "HTTPS to the ECS, ECR and S3 endpoints",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            { parent: this },
        );
        return { securityGroup, httpsEgress };
    }

    private createLaunchTemplate(
        ec2Cfg: NormalizedEc2Capacity,
        cluster: ecs.Cluster,
        instanceProfile: iam.InstanceProfile,
        securityGroup: ec2.SecurityGroup,
    ): ec2.LaunchTemplate {
        const tags = { Name: `${this.name}-ecs-instance` };
        return new ec2.LaunchTemplate(
            `${this.name}-instances`,
            {
                namePrefix: `${stackScopedName(`${this.name}-ecs`, 90)}-`,
                description: `ECS container instances of ${this.name}`,
                // Resolved by EC2 at each launch (launch templates accept `resolve:ssm:<parameter>`
                // since 2023; the provider documents it for imageId). A data-source lookup would put
                // the AMI ID in the template, so every AMI release would show as a change here.
                imageId: `resolve:ssm:${ecsOptimizedAmiParameter(ec2Cfg.instanceType)}`,
                instanceType: ec2Cfg.instanceType,
                iamInstanceProfile: { arn: instanceProfile.arn },
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    // One hop: the agent runs with host networking, and awsvpc tasks are kept off
                    // IMDS (user data), so nothing behind a Docker bridge needs the second hop.
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                networkInterfaces: [
                    {
                        deviceIndex: 0,
                        associatePublicIpAddress: "false",
                        deleteOnTermination: "true",
                        securityGroups: [securityGroup.id],
                    },
                ],
                blockDeviceMappings: [
                    {
                        // The root device of the Amazon Linux 2023 AMIs.
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeType: "gp3",
                            volumeSize: ec2Cfg.rootVolumeGb,
                            // The account's EBS key (aws/ebs): a customer-managed key would need key-policy
                            // grants for the Auto Scaling service-linked role.
                            encrypted: "true",
                            deleteOnTermination: "true",
                        },
                    },
                ],
                userData: cluster.name.apply((clusterName) => Buffer.from(ecsUserData(clusterName)).toString("base64")),
                tagSpecifications: [
                    { resourceType: "instance", tags },
                    { resourceType: "volume", tags },
                ],
                updateDefaultVersion: true,
            },
            { parent: this },
        );
    }

    private createAutoScalingGroup(
        ec2Cfg: NormalizedEc2Capacity,
        launchTemplate: ec2.LaunchTemplate,
        instanceRolePolicy: iam.RolePolicy,
    ): autoscaling.Group {
        return new autoscaling.Group(
            `${this.name}-instances`,
            {
                namePrefix: `${stackScopedName(`${this.name}-ecs`, 200)}-`,
                vpcZoneIdentifiers: ec2Cfg.subnetIds,
                minSize: ec2Cfg.minSize,
                maxSize: ec2Cfg.maxSize,
                // No desiredCapacity: ECS managed scaling owns it, and an update would reset it.
                // `$Latest`: instances launched after a template change use it; running ones stay.
                launchTemplate: { id: launchTemplate.id, version: "$Latest" },
                // Managed termination protection requires it (CreateCapacityProvider).
                protectFromScaleIn: true,
                tags: [
                    // ECS tags the group when managed scaling is on; declaring it avoids a diff on each update.
                    { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
                ],
            },
            // Instances that boot before the role's policy exists fail to register with the cluster.
            { parent: this, dependsOn: [instanceRolePolicy] },
        );
    }
}

/** The EC2 capacity's children. */
export interface Ec2CapacityNodes {
    instanceRole: iam.Role;
    instanceRolePolicy: iam.RolePolicy;
    instanceProfile: iam.InstanceProfile;
    securityGroup: ec2.SecurityGroup;
    httpsEgress: vpc.SecurityGroupEgressRule;
    launchTemplate: ec2.LaunchTemplate;
    autoScalingGroup: autoscaling.Group;
    capacityProvider: ecs.CapacityProvider;
}

interface NormalizedEc2Capacity {
    instanceType: string;
    minSize: number;
    maxSize: number;
    rootVolumeGb: number;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
}

interface NormalizedClusterArgs {
    containerInsights: ContainerInsightsMode;
    execLogRetentionDays: number;
    capacity: ClusterCapacity;
    /** Present only with `capacity: ec2`. */
    ec2?: NormalizedEc2Capacity;
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
    serviceLogGroupPrefix: string;
    /**
     * `<prefix>exec/sessions`: under the services' prefix (so the key's grant covers it) but never
     * equal to a service's `<prefix><service>` group, since a service name has no `/`.
     */
    execLogGroupName: string;
}

/** Applies defaults and validates; every error names the argument. Exported for tests. */
export function normalizeClusterArgs(name: string, args: ClusterArgs): NormalizedClusterArgs {
    const check = new ArgChecker("Cluster", name, args);
    const containerInsights = check.oneOf(
        "containerInsights",
        args.containerInsights ?? "enhanced",
        CONTAINER_INSIGHTS_MODES,
    );
    const execLogRetentionDays = args.execLogRetentionDays ?? 30;
    const retention = logRetentionProblem(execLogRetentionDays);
    if (retention !== undefined) {
        check.fail("execLogRetentionDays", `is ${execLogRetentionDays}; it ${retention}`);
    }
    const capacity = check.oneOf("capacity", args.capacity ?? "fargate", CLUSTER_CAPACITIES);
    const serviceLogGroupPrefix = ecsLogGroupPrefix();
    return {
        containerInsights,
        execLogRetentionDays,
        capacity,
        ec2: capacity === "ec2" ? normalizeEc2Capacity(check, args) : undefined,
        permissionsBoundaryArn: args.permissionsBoundaryArn,
        protect: args.protect ?? false,
        serviceLogGroupPrefix,
        execLogGroupName: `${serviceLogGroupPrefix}exec/sessions`,
    };
}

function normalizeEc2Capacity(check: ArgChecker<ClusterArgs>, args: ClusterArgs): NormalizedEc2Capacity {
    const instanceType = check.match(
        "ec2InstanceType",
        args.ec2InstanceType ?? EC2_CAPACITY_DEFAULTS.instanceType,
        INSTANCE_TYPE,
        "expected an EC2 instance type such as t3.medium",
    );
    const minSize = check.int(
        "ec2MinSize",
        EC2_CAPACITY_DEFAULTS.minSize,
        EC2_INSTANCE_COUNT.min,
        EC2_INSTANCE_COUNT.max,
    );
    const maxSize = check.int(
        "ec2MaxSize",
        EC2_CAPACITY_DEFAULTS.maxSize,
        Math.max(1, EC2_INSTANCE_COUNT.min),
        EC2_INSTANCE_COUNT.max,
    );
    if (minSize > maxSize) {
        check.fail("ec2MinSize", `is ${minSize}, above ec2MaxSize (${maxSize})`);
    }
    const rootVolumeGb = check.int(
        "ec2RootVolumeGb",
        EC2_CAPACITY_DEFAULTS.rootVolumeGb,
        EC2_ROOT_VOLUME_GB.min,
        EC2_ROOT_VOLUME_GB.max,
    );
    if (args.vpcId === undefined) {
        check.fail("vpcId", 'is required with capacity "ec2" (the instances\' security group lives in it)');
    }
    if (args.subnetIds === undefined || args.subnetIds.length === 0) {
        check.fail("subnetIds", 'is required with capacity "ec2": give the private subnets to launch instances in');
    }
    return { instanceType, minSize, maxSize, rootVolumeGb, vpcId: args.vpcId, subnetIds: args.subnetIds };
}
