import * as pulumi from "@pulumi/pulumi";
import * as appautoscaling from "@pulumi/aws/appautoscaling";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecr from "@pulumi/aws/ecr";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import type { input } from "@pulumi/aws/types";
import { policyDocument, statefulOptions } from "./common";
import { AlarmRoutes, DashboardWidget, alarmRoutes, createAlarm, metricWidget } from "./internal/alarms";
import { ArgChecker } from "./internal/args";
import { fargateSizeProblem } from "./internal/fargate";
import { ecsLogGroupPrefix, physicalName, stackIamPath, stackScopedName } from "./internal/naming";
import { logRetentionProblem } from "./internal/rules";
import { ROLE_TAG } from "./internal/security-groups";

/**
 * The tag the task definition points at before CI has pushed an image (see {@link FargateService},
 * "First deploy"). Never pushed: the service runs no task while it is in use.
 */
export const BOOTSTRAP_IMAGE_TAG = "bootstrap";

/** CPU architectures of the task, as the stack config spells them. */
export const FARGATE_SERVICE_ARCHITECTURES = ["x86_64", "arm64"] as const;
export type FargateServiceArchitecture = (typeof FARGATE_SERVICE_ARCHITECTURES)[number];

/** ECS `runtimePlatform.cpuArchitecture` for each architecture. */
const CPU_ARCHITECTURE: Record<FargateServiceArchitecture, string> = { x86_64: "X86_64", arm64: "ARM64" };

/**
 * Thresholds of the warning alarms, from seed 002's alarm list (CPU > 80 %, memory > 85 %, for
 * 5 minutes). With target tracking at 60/70 % they fire only when scaling has reached `maxCount`
 * (or cannot keep up), which is what someone should look at.
 */
export const FARGATE_SERVICE_ALARMS = { cpuHighPercent: 80, memoryHighPercent: 85, minutes: 5 } as const;

/** How many tagged images the repository keeps, and how long untagged ones live (days). */
export const ECR_KEEP_TAGGED_IMAGES = 30;
export const ECR_UNTAGGED_EXPIRY_DAYS = 7;

/** Bounds the component accepts for the task counts (a guard against typos, not an AWS limit). */
export const SERVICE_TASK_COUNT = { min: 0, max: 1000 } as const;

/** Fargate stops a container at most 120 s after SIGTERM (ECS `stopTimeout`); the same bound is kept on EC2. */
export const MAX_STOP_TIMEOUT_SECONDS = 120;

/** Where ECS Exec's SSM agent writes inside the container that nothing else mounts; see `createTaskDefinition`. */
export const EXEC_AGENT_PATHS = ["/var/lib/amazon/ssm"] as const;

/** A container name ECS accepts (the component's name is the container's). */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
/** An environment variable name the container runtime accepts (POSIX portable names). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Docker's tag grammar: 1-128 characters, not starting with `.` or `-`. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** `[registry[:port]/]repository[:tag][@sha256:digest]` (Docker reference grammar, lower-case repository). */
const IMAGE_REFERENCE =
    /^(?:[A-Za-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
/** A private ECR image: account, region, DNS suffix and repository. */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?)\/([^:@]+)/;
/** A container `user`: `uid`, `uid:gid`, `name` or `name:group`. */
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;
/** A URL path for the health check (RFC 3986 path characters; the check runs in exec form, no shell reads it). */
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
/** CloudWatch Logs log group names. */
const LOG_GROUP_NAME = /^[A-Za-z0-9_./#-]{1,512}$/;
/** A JSON key inside a secret (the `valueFrom` separator is `:`). */
const JSON_KEY = /^[^:\s]+$/;

/** One secret injected as an environment variable through ECS `secrets` (read by the execution role at start). */
export interface FargateServiceSecret {
    /** The environment variable the container sees, e.g. `DATABASE_PASSWORD`. */
    name: string;
    /** Full ARN of the Secrets Manager secret. */
    secretArn: pulumi.Input<string>;
    /** A key of the secret's JSON to inject instead of the whole string (e.g. `password` of an RDS secret). */
    jsonKey?: string;
    /** The customer-managed key the secret is encrypted with; the execution role may decrypt with it through Secrets Manager only. */
    kmsKeyArn?: pulumi.Input<string>;
}

/** Objects of one bucket (or of one prefix of it) the application reads or writes. */
export interface FargateServiceBucketAccess {
    bucketArn: pulumi.Input<string>;
    /** A key prefix such as `avatars/`; no wildcards. @default "" (the whole bucket) */
    prefix?: string;
    /** s3:GetObject, and s3:ListBucket under the prefix. @default true */
    read?: boolean;
    /** s3:PutObject and s3:DeleteObject. @default false */
    write?: boolean;
    /** The bucket's SSE-KMS key: kms:Decrypt (read) and kms:GenerateDataKey (write), through S3 only. */
    kmsKeyArn?: pulumi.Input<string>;
}

/** A secret the application reads itself at run time (e.g. to pick up a rotation without a restart). */
export interface FargateServiceRuntimeSecret {
    secretArn: pulumi.Input<string>;
    /** The key the secret is encrypted with; kms:Decrypt through Secrets Manager only. */
    kmsKeyArn?: pulumi.Input<string>;
}

/** What the application (the task role) may reach; every grant is scoped to the ARNs given. */
export interface FargateServiceAccess {
    /** Queues the service sends to: sqs:SendMessage, GetQueueAttributes, GetQueueUrl. */
    sendQueueArns?: pulumi.Input<string>[];
    /** Queues the service consumes: sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes, GetQueueUrl. */
    consumeQueueArns?: pulumi.Input<string>[];
    /** Buckets (or prefixes of them) whose objects the service reads or writes. */
    buckets?: FargateServiceBucketAccess[];
    /** Secrets the application reads with GetSecretValue itself. */
    runtimeSecrets?: FargateServiceRuntimeSecret[];
    /**
     * SES resources the service sends with: ses:SendEmail and ses:SendRawEmail. List the identity
     * ARNs, and the configuration set's ARN when mail is sent with one: SES v2 authorizes SendEmail
     * against both.
     */
    sesIdentityArns?: pulumi.Input<string>[];
    /**
     * Sender addresses the service may use (`*@example.com`), as a `ses:FromAddress` StringLike
     * condition on the send statement. The match is case-sensitive: send from lower-case addresses.
     * @default no condition (any address of the listed identities)
     */
    sesFromAddresses?: string[];
    /** Template ARNs the service sends with (SendTemplatedEmail is authorized against the template too). */
    sesTemplateArns?: pulumi.Input<string>[];
}

/** Scale on the backlog of a queue the service consumes. */
export interface FargateServiceQueueScaling {
    /** The queue's name (the CloudWatch dimension `QueueName`, e.g. `queue.queueName`). */
    queueName: pulumi.Input<string>;
    /** Visible messages per running task that target tracking aims at. */
    messagesPerTask: number;
}

export interface FargateServiceArgs {
    /** ARN of the ECS cluster (`Cluster.clusterArn`). Changing it replaces the service. */
    clusterArn: pulumi.Input<string>;
    /** Name of that cluster (`Cluster.clusterName`): the alarms' and scaling target's dimension. */
    clusterName: pulumi.Input<string>;
    /** The VPC of the service's security group. Changing it replaces the security group. */
    vpcId: pulumi.Input<string>;
    /** Private subnets the tasks run in (one per AZ). Tasks never get a public IP. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The shared application security group (`AppSecurityGroup`): the data stores admit it, and it
     * carries the tasks' egress (HTTPS, data-store ports). Attached next to the service's own group.
     */
    appSecurityGroupId: pulumi.Input<string>;
    /**
     * A full image reference (`public.ecr.aws/org/app:1.4.2`, `<account>.dkr.ecr.<region>.amazonaws.com/app@sha256:…`).
     * The service then gets no repository; a private ECR image of this account gets pull rights on its repository.
     * Exclusive with `imageTag`.
     * @default undefined (the service's own repository)
     */
    image?: string;
    /**
     * The tag to run from the service's own ECR repository (immutable tags: one per build, e.g. the
     * git SHA; not `latest`). Unset with no `image`: the first-deploy bootstrap (class doc).
     * @default undefined
     */
    imageTag?: string;
    /** Task CPU units (256 = ¼ vCPU … 16384), a Fargate size. Cost: Fargate ≈ $0.04/vCPU-hour (x86, us-east-1). @default 256 */
    cpu?: number;
    /** Task memory (MiB), valid for `cpu` on Fargate. Cost ≈ $0.0044/GB-hour. @default 512 */
    memory?: number;
    /** `x86_64` or `arm64` (Graviton: ≈ 20 % cheaper; the image must be built for it). @default "x86_64" */
    architecture?: string;
    /**
     * Tasks at creation; afterwards auto scaling owns the count (changes to it are ignored).
     * Within [minCount, maxCount].
     * @default 1
     */
    desiredCount?: number;
    /** Auto scaling floor. Below 1 the running-tasks alarm is off and nothing scales up from 0 by itself. @default 1 */
    minCount?: number;
    /** Auto scaling ceiling; equal to `minCount`, the count is fixed and no scaling policy is created. @default 2 */
    maxCount?: number;
    /** Container port (TCP). With it: a port mapping and an HTTP container health check. @default undefined (no port) */
    port?: number;
    /** HTTP path the container health check requests on `port`. @default "/health" */
    healthCheckPath?: string;
    /**
     * The container health check command, `["CMD", …]` or `["CMD-SHELL", "…"]`, instead of
     * `curl -f http://localhost:<port><healthCheckPath>` (which needs `curl` in the image).
     * @default undefined
     */
    healthCheckCommand?: string[];
    /** Overrides the image's CMD. @default the image's */
    command?: string[];
    /**
     * Container user (`uid`, `uid:gid`, `name`, `name:group`); never root or 0. Unset, the image's
     * USER applies, which the component cannot see: the pack's advisory `iam-ecs-nonroot` reports
     * it, and the image must not run as root.
     * @default undefined (the image's USER)
     */
    user?: string;
    /** Plain environment variables (never secrets: use `secrets`). `SERVICE_NAME` is set by the component. @default {} */
    environment?: Record<string, pulumi.Input<string>>;
    /** Secrets Manager values injected as environment variables at task start. @default [] */
    secrets?: FargateServiceSecret[];
    /** What the application may reach (task role). @default {} (nothing) */
    access?: FargateServiceAccess;
    /** Weight of regular Fargate in the capacity provider strategy. @default 1 */
    fargateWeight?: number;
    /** Weight of Fargate Spot (≈ 70 % cheaper, interruptible with a 2-minute warning). 0: no Spot. @default 0 */
    spotWeight?: number;
    /** Tasks that always run on regular Fargate before the weights apply. @default 0 */
    fargateBase?: number;
    /**
     * An EC2 capacity provider (`Cluster.ec2CapacityProviderName`): the tasks run there (EC2
     * compatibility, still awsvpc) instead of on Fargate. Excludes the Fargate weights.
     * @default undefined (Fargate)
     */
    capacityProviderName?: pulumi.Input<string>;
    /**
     * ECS Exec (`aws ecs execute-command`), logged to the cluster's exec log group. Needs
     * `execLogGroupArn` and `execKmsKeyArn`; the image needs `script` and `cat` for the session log.
     * @default false
     */
    enableExecuteCommand?: boolean;
    /** The cluster's exec session log group (`Cluster.execLogGroupArn`). Required with `enableExecuteCommand`. */
    execLogGroupArn?: pulumi.Input<string>;
    /** The key exec sessions are encrypted with (`Cluster.logsKmsKeyArn`). Required with `enableExecuteCommand`. */
    execKmsKeyArn?: pulumi.Input<string>;
    /**
     * A customer-managed key for the image repository (`Cluster.imagesKmsKeyArn`). Without it the
     * AWS-managed `aws/ecr` key is used, which the pack's `enc-cmk-misc` reports. Fixed at
     * creation: changing it replaces the repository (and its images).
     * @default the AWS-managed aws/ecr key
     */
    repositoryKmsKeyArn?: pulumi.Input<string>;
    /**
     * The service's log group. Keep it under `ecsLogGroupPrefix()`: the cluster's key lets
     * CloudWatch Logs encrypt only there. Changing it replaces the group (its logs go with it).
     * @default `${ecsLogGroupPrefix()}${name}`
     */
    logGroupName?: string;
    /** Retention of the log group (a CloudWatch Logs period: 1, 3, 5, 7, 14, 30, …). @default 30 */
    logRetentionDays?: number;
    /** Customer-managed key the log group is encrypted with (`Cluster.logsKmsKeyArn`). */
    logKmsKeyArn: pulumi.Input<string>;
    /** Seconds the container gets between SIGTERM and SIGKILL (Fargate's maximum is 120). @default 30 */
    stopTimeoutSeconds?: number;
    /**
     * Seconds ECS ignores failing load balancer health checks of a new task. Only with `targetGroupArns`.
     * @default 60 with target groups
     */
    healthCheckGracePeriodSeconds?: number;
    /** Target groups (IP targets) that forward to the container's `port`. Requires `port`. @default [] */
    targetGroupArns?: pulumi.Input<string>[];
    /**
     * The load balancer's security group: the service's group admits `port` from it only (and the
     * balancer's group gets the matching egress). Unset: the service's group has no ingress.
     * Requires `port`.
     * @default undefined
     */
    loadBalancerSecurityGroupId?: pulumi.Input<string>;
    /** Requests per target per minute that ALBRequestCountPerTarget scaling aims at. Needs `targetGroupResourceLabel`. @default undefined */
    requestsPerTarget?: number;
    /** `app/<alb-name>/<id>/targetgroup/<tg-name>/<id>` (`${alb.arnSuffix}/${tg.arnSuffix}`), for `requestsPerTarget`. */
    targetGroupResourceLabel?: pulumi.Input<string>;
    /** Average CPU (%) target tracking aims at. @default 70 (seeds 002, 003) */
    cpuTargetPercent?: number;
    /** Average memory (%) target tracking aims at. @default 80 (seeds 002, 003) */
    memoryTargetPercent?: number;
    /** Seconds between scale-in steps (slow, so a dip doesn't drop capacity a spike needs back). @default 300 */
    scaleInCooldownSeconds?: number;
    /** Seconds between scale-out steps. @default 60 */
    scaleOutCooldownSeconds?: number;
    /** Scale on a consumed queue's backlog per running task. @default undefined */
    queueScaling?: FargateServiceQueueScaling;
    /** SNS topic of the service's alarms (running tasks below `minCount`: critical; CPU, memory: warning). */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * SNS topic of the critical alarms (they page someone); `alarmTopicArn` then carries
     * the warnings only. Monitoring's `criticalAlarmTopicArn`.
     * @default alarmTopicArn (one route for both severities)
     */
    criticalAlarmTopicArn?: pulumi.Input<string>;
    /** Permissions boundary set on the task and execution roles. @default undefined (no boundary) */
    permissionsBoundaryArn?: pulumi.Input<string>;
    /**
     * Protect the ECR repository (`protect` and `retainOnDelete`; unprotected it is force-deleted
     * with its images). Set it in prod.
     * @default false
     */
    protect?: boolean;
}

/** The physical names of a service's resources: derived from project, stack and name only, so sizing never renames anything. */
export interface FargateServiceNames {
    /** `<project>-<stack>/<name>` (ECR: lower-case, `/` namespaces). */
    repositoryName: string;
    /** `<project>-<stack>-<name>`. */
    serviceName: string;
    /** `/ecs/<project>-<stack>/<name>`, under the prefix the cluster's log key covers. */
    logGroupName: string;
    /** The task definition family, the service's name. */
    family: string;
}

/** The physical names of the service `name` in this project and stack. */
export function fargateServiceNames(name: string): FargateServiceNames {
    const serviceName = stackScopedName(name, 255);
    return {
        repositoryName: `${physicalName(`${pulumi.getProject()}-${pulumi.getStack()}`, 128)}/${physicalName(name, 127)}`,
        serviceName,
        logGroupName: `${ecsLogGroupPrefix()}${physicalName(name, 200)}`,
        family: serviceName,
    };
}

/** A private ECR repository's URL (what `aws.ecr.Repository.repositoryUrl` returns). */
export function ecrRepositoryUrl(
    account: pulumi.Input<string>,
    region: pulumi.Input<string>,
    dnsSuffix: pulumi.Input<string>,
    repositoryName: string,
): pulumi.Output<string> {
    return pulumi.interpolate`${account}.dkr.ecr.${region}.${dnsSuffix}/${repositoryName}`;
}

/** The ECR repository a private ECR image reference lives in, or undefined for any other registry. */
export function ecrRepositoryOfImage(
    image: string,
): { account: string; region: string; partition: string; repository: string } | undefined {
    const m = ECR_IMAGE.exec(image);
    return m
        ? { account: m[1], region: m[2], partition: m[3].endsWith(".cn") ? "aws-cn" : "aws", repository: m[4] }
        : undefined;
}

/**
 * The repository's lifecycle policy: untagged images (interrupted pushes, manifests orphaned when
 * their image index is deleted; tags are immutable, so none is left behind by a moved tag) expire
 * after 7 days; of the tagged ones the newest 30 stay, enough to roll back weeks of deploys. `tagPatternList: ["*"]` selects every tagged image (ECR lifecycle
 * policy parameters: a `tagged` rule needs a prefix or pattern list).
 */
export function ecrLifecyclePolicy(): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${ECR_UNTAGGED_EXPIRY_DAYS} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: ECR_UNTAGGED_EXPIRY_DAYS,
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
                    countNumber: ECR_KEEP_TAGGED_IMAGES,
                },
                action: { type: "expire" },
            },
        ],
    });
}

/**
 * The default container health check: an HTTP GET of the health path on the container's port.
 * Exec form (`CMD`), so no shell is needed and no character of the path is interpreted; ECS counts
 * any non-zero exit as a failure, and `curl -f` exits 22 on an HTTP error status.
 */
export function httpHealthCheckCommand(port: number, path: string): string[] {
    return ["CMD", "curl", "-fsS", "-o", "/dev/null", `http://localhost:${port}${path}`];
}

/**
 * One ECS service on an existing cluster, with everything it needs of its own:
 *
 * - an ECR repository `<project>-<stack>/<name>` (immutable tags, scan on push, KMS-encrypted with
 *   the AWS-managed `aws/ecr` key, lifecycle: 30 tagged images, untagged gone after 7 days), unless
 *   `image` names an image elsewhere;
 * - a task definition (awsvpc, Linux, x86_64 or arm64) with one essential container: read-only root
 *   filesystem (plus a writable `/tmp`), not privileged, optional non-root `user`, secrets injected
 *   from Secrets Manager, logs to a KMS-encrypted log group with the awslogs driver in non-blocking
 *   mode;
 * - an execution role (pull this image, write this log group, read exactly these secrets) and a
 *   task role (exactly the queues, buckets, secrets and SES identities in `access`, and ECS Exec's
 *   channels when enabled), both assumable only by ECS tasks of this account;
 * - a security group of its own that admits `port` from the load balancer's group only, next to the
 *   shared application group;
 * - the service (private subnets, no public IP, rolling deploys at 100-200 % with the deployment
 *   circuit breaker rolling back, Fargate/Fargate Spot or an EC2 capacity provider);
 * - target tracking on CPU, memory and optionally requests per target or queue backlog per task,
 *   between `minCount` and `maxCount`;
 * - alarms: running tasks below `minCount` (critical), CPU and memory high (warning).
 *
 * ```ts
 * const api = new FargateService("api", {
 *     clusterArn: cluster.clusterArn, clusterName: cluster.clusterName,
 *     vpcId: network.vpcId, subnetIds: network.privateSubnetIds, appSecurityGroupId: app.securityGroupId,
 *     imageTag: "3f2c1ab", cpu: 512, memory: 1024, port: 4000, user: "1000:1000",
 *     secrets: [{ name: "DATABASE_PASSWORD", secretArn: database.masterUserSecretArn, jsonKey: "password", kmsKeyArn: database.kmsKeyArn }],
 *     access: { sendQueueArns: [jobs.queueArn] },
 *     logKmsKeyArn: cluster.logsKmsKeyArn, alarmTopicArn: monitoring.alarmTopicArn,
 * });
 * ```
 *
 * **First deploy.** The repository and the service are created by the same `pulumi up`, before CI
 * can push an image. With neither `image` nor `imageTag`, the task definition points at
 * `<repository>:bootstrap` (never pushed) and the service is created with `desiredCount` 0 and no
 * scaling target, so nothing tries to start; its running-tasks alarm is left out too. Then CI pushes
 * `<repository>:<git sha>` and runs `pulumi up` with `imageTag` set: the task definition changes, and
 * registering the scaling target raises the count to `minCount` (Application Auto Scaling moves a
 * newly registered target's capacity into [min, max]; RegisterScalableTarget). The service's own
 * `desiredCount` is ignored after creation (`ignoreChanges`), as the provider's documentation
 * advises when auto scaling owns the count, so a deploy never resets what scaling decided. With
 * `minCount` 0 nothing raises the count: set it once with `aws ecs update-service --desired-count`.
 *
 * The task role exists even with no `access`: the pack's `iam-ecs-roles` wants one apart from the
 * execution role, ECS Exec needs it, and grants `access` doesn't cover attach to it (`taskRoleName`).
 * Other resources reach the children through `nodes`; Pulumi's `transforms` option changes what the
 * args don't expose.
 *
 * **Cost**: Fargate per task ≈ vCPU × $0.04048/h + GB × $0.004445/h (us-east-1, x86; arm64 −20 %,
 * Spot ≈ −70 %): 0.25 vCPU/0.5 GB ≈ $9/month per task; ECR $0.10/GB-month; logs $0.50/GB ingested;
 * alarms $0.10/month each (3).
 */
export class FargateService extends pulumi.ComponentResource {
    /** The ECS service's name, `<project>-<stack>-<name>` (the CloudWatch dimension `ServiceName`). */
    readonly serviceName: pulumi.Output<string>;
    readonly serviceArn: pulumi.Output<string>;
    /** The current task definition revision's ARN. */
    readonly taskDefinitionArn: pulumi.Output<string>;
    /** The service's own security group (admits the load balancer). */
    readonly securityGroupId: pulumi.Output<string>;
    /** The application's role; attach further policies to `taskRoleName` for grants `access` doesn't cover. */
    readonly taskRoleArn: pulumi.Output<string>;
    readonly taskRoleName: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** The service's ECR repository URL (push here), or undefined when `image` is given. */
    readonly repositoryUrl?: pulumi.Output<string>;
    readonly repositoryArn?: pulumi.Output<string>;
    /** The image the task definition runs. */
    readonly imageUri: pulumi.Output<string>;
    /** The container port, if any. */
    readonly port?: number;
    /** The container's name (the component's name): load balancer target and `execute-command --container`. */
    readonly containerName: string;
    /** Widgets for the stack dashboard: CPU, memory, running tasks. */
    readonly dashboardWidgets: DashboardWidget[];
    /** The raw children, for advanced use. */
    readonly nodes: FargateServiceNodes;

    private readonly name: string;

    constructor(name: string, args: FargateServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("groundwork:index:FargateService", name, {}, opts);
        this.name = name;
        const cfg = normalizeFargateServiceArgs(name, args);
        const env = this.environmentFacts();

        const repository = cfg.image === undefined ? this.createRepository(cfg) : undefined;
        // The repository's URL from facts known at preview (account, region, name), not from the
        // repository's output: a first preview can then check the container definition (the pack's
        // container rules defer on an unknown one). ECR URLs are `<registry id>.dkr.ecr.<region>.<dns suffix>/<name>`.
        const imageUri = repository
            ? pulumi.interpolate`${ecrRepositoryUrl(env.account, env.region, env.dnsSuffix, cfg.names.repositoryName)}:${cfg.imageTag ?? BOOTSTRAP_IMAGE_TAG}`
            : pulumi.output(cfg.image as string);
        const logGroup = this.createLogGroup(cfg);
        const execution = this.createExecutionRole(cfg, env, repository?.repository, logGroup);
        const task = this.createTaskRole(cfg, env);
        const taskDefinition = this.createTaskDefinition(cfg, env, imageUri, logGroup, execution.role, task.role);
        const security = this.createSecurityGroup(cfg);
        const service = this.createService(cfg, taskDefinition, security.securityGroup, [
            execution.policy,
            ...(task.policy ? [task.policy] : []),
            ...(security.ingress ? [security.ingress] : []),
        ]);
        const scaling = cfg.bootstrap ? undefined : this.createScaling(cfg, service);
        const alarms = this.createAlarms(cfg, service);

        this.serviceName = service.name;
        this.serviceArn = service.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.securityGroupId = security.securityGroup.id;
        this.taskRoleArn = task.role.arn;
        this.taskRoleName = task.role.name;
        this.executionRoleArn = execution.role.arn;
        this.logGroupName = logGroup.name;
        this.repositoryUrl = repository?.repository.repositoryUrl;
        this.repositoryArn = repository?.repository.arn;
        this.imageUri = imageUri;
        this.port = cfg.port;
        this.containerName = name;
        this.dashboardWidgets = this.createWidgets(cfg, service);
        this.nodes = {
            repository: repository?.repository,
            lifecyclePolicy: repository?.lifecyclePolicy,
            logGroup,
            executionRole: execution.role,
            executionRolePolicy: execution.policy,
            taskRole: task.role,
            taskRolePolicy: task.policy,
            taskDefinition,
            securityGroup: security.securityGroup,
            loadBalancerIngress: security.ingress,
            loadBalancerEgress: security.egress,
            service,
            scalingTarget: scaling?.target,
            scalingPolicies: scaling?.policies ?? [],
            alarms,
        };
        this.registerOutputs({
            serviceName: this.serviceName,
            serviceArn: this.serviceArn,
            taskDefinitionArn: this.taskDefinitionArn,
            taskRoleArn: this.taskRoleArn,
            executionRoleArn: this.executionRoleArn,
            logGroupName: this.logGroupName,
            imageUri: this.imageUri,
        });
    }

    private environmentFacts(): EnvironmentFacts {
        const invokeOpts = { parent: this };
        return {
            account: getCallerIdentityOutput({}, invokeOpts).accountId,
            dnsSuffix: getPartitionOutput({}, invokeOpts).dnsSuffix,
            region: getRegionOutput({}, invokeOpts).region,
        };
    }

    /**
     * KMS with `repositoryKmsKeyArn` (else the AWS-managed `aws/ecr` key): ECR grants itself use
     * of the key when the repository is created, so neither pushers nor the execution role need
     * KMS permissions (ECR User Guide, "Encryption at rest"). The encryption settings are fixed at
     * creation (changing them replaces the repository).
     */
    private createRepository(cfg: NormalizedFargateServiceArgs): {
        repository: ecr.Repository;
        lifecyclePolicy: ecr.LifecyclePolicy;
    } {
        const repository = new ecr.Repository(
            `${this.name}-repo`,
            {
                name: cfg.names.repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: cfg.repositoryKmsKeyArn }],
                // Unprotected stacks are disposable: delete the images with the repository.
                forceDelete: !cfg.protect,
            },
            statefulOptions(this, cfg.protect),
        );
        const lifecyclePolicy = new ecr.LifecyclePolicy(
            `${this.name}-repo-lifecycle`,
            { repository: repository.name, policy: ecrLifecyclePolicy() },
            { parent: this },
        );
        return { repository, lifecyclePolicy };
    }

    /**
     * Not protected: the name is fixed, so a retained group would block a re-created stack; its
     * retention decides how long the logs live.
     */
    private createLogGroup(cfg: NormalizedFargateServiceArgs): cloudwatch.LogGroup {
        return new cloudwatch.LogGroup(
            `${this.name}-logs`,
            { name: cfg.logGroupName, retentionInDays: cfg.logRetentionDays, kmsKeyId: cfg.logKmsKeyArn },
            { parent: this },
        );
    }

    /**
     * A role ECS tasks of this account only may assume. `aws:SourceAccount` is the confused-deputy
     * guard the ECS Developer Guide recommends for task roles ("Task IAM role"); `aws:SourceArn`
     * could only narrow it to "tasks of this account" as well (it cannot name a cluster), so the
     * account condition is the whole guard, and the same for the execution role.
     */
    private createRole(
        suffix: string,
        description: string,
        cfg: NormalizedFargateServiceArgs,
        env: EnvironmentFacts,
    ): iam.Role {
        return new iam.Role(
            `${this.name}-${suffix}`,
            {
                description,
                assumeRolePolicy: policyDocument({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "ecs-tasks.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": env.account } },
                        },
                    ],
                }),
                // The stack's IAM path: the only place a bounded deploy role may create roles.
                path: stackIamPath(),
                permissionsBoundary: cfg.permissionsBoundaryArn,
            },
            { parent: this },
        );
    }

    /**
     * What ECS itself needs to start the task, scoped to this service: pull its image (the
     * AmazonECSTaskExecutionRolePolicy actions, with the repository instead of "*"; only
     * `ecr:GetAuthorizationToken` has no resource-level permission), write its log group, and read
     * exactly the injected secrets, decrypting only through Secrets Manager.
     */
    private createExecutionRole(
        cfg: NormalizedFargateServiceArgs,
        env: EnvironmentFacts,
        repository: ecr.Repository | undefined,
        logGroup: cloudwatch.LogGroup,
    ): { role: iam.Role; policy: iam.RolePolicy } {
        const role = this.createRole(
            "execution",
            `Starts the tasks of ${this.name}: image pull, logs, injected secrets`,
            cfg,
            env,
        );
        const external = cfg.image === undefined ? undefined : ecrRepositoryOfImage(cfg.image);
        const repositoryArn: pulumi.Input<string> | undefined = repository
            ? repository.arn
            : external
              ? `arn:${external.partition}:ecr:${external.region}:${external.account}:repository/${external.repository}`
              : undefined;
        const statements: Statement[] = [];
        if (repositoryArn !== undefined) {
            statements.push(
                { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                {
                    Sid: "PullImage",
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                    Resource: repositoryArn,
                },
            );
        }
        statements.push({
            Sid: "WriteLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
        });
        statements.push(
            ...secretStatements(
                "InjectedSecrets",
                cfg.secrets.map((s) => s.secretArn),
                cfg.secrets.map((s) => s.kmsKeyArn),
                env,
            ),
        );
        const policy = new iam.RolePolicy(
            `${this.name}-execution`,
            { role: role.id, policy: policyDocument({ Version: "2012-10-17", Statement: statements }) },
            { parent: this },
        );
        return { role, policy };
    }

    /** The application's own role: `access`, and ECS Exec's channels and session logging when enabled. */
    private createTaskRole(
        cfg: NormalizedFargateServiceArgs,
        env: EnvironmentFacts,
    ): { role: iam.Role; policy?: iam.RolePolicy } {
        const role = this.createRole("task", `The application of ${this.name}`, cfg, env);
        const statements = [...accessStatements(cfg.access, env), ...(cfg.exec ? execStatements(cfg.exec) : [])];
        const policy =
            statements.length > 0
                ? new iam.RolePolicy(
                      `${this.name}-task`,
                      { role: role.id, policy: policyDocument({ Version: "2012-10-17", Statement: statements }) },
                      { parent: this },
                  )
                : undefined;
        return { role, policy };
    }

    /**
     * One essential container. The root filesystem is read-only (pack `iam-ecs-secrets`, Security
     * Hub ECS.5); `/tmp` is a task-scoped bind mount. On Fargate an empty bind mount belongs to
     * root, so a non-root user can write `/tmp` only when the image declares `VOLUME /tmp` (Fargate
     * then copies the image directory's contents and permissions; ECS Developer Guide, "Bind mounts";
     * containers-roadmap#938).
     *
     * ECS Exec: AWS documents it as unsupported with a read-only root ("Considerations for ECS Exec"),
     * because the SSM agent it starts in the container must write. Exec keeps the read-only root and
     * gives the agent a writable /var/lib/amazon/ssm (its state directory) instead: the workaround of
     * containers-roadmap#1359, narrowed to what the ECS agent does not already provide. The ECS agent
     * bind-mounts the SSM agent's binaries and configuration read-only under /ecs-execute-command-<id>
     * and its log directory /var/log/amazon/ssm writable (a second mount there would be a duplicate
     * mount point), and starts it as uid 0, so root-owned mounts suit it (amazon-ecs-agent,
     * agent/engine/execcmd: manager_init_task_linux.go; execAgentCmdUser "0"). Check it with a first
     * `aws ecs execute-command`; the amazon-ecs-exec-checker still flags the read-only root.
     * `initProcessEnabled` reaps the session's child processes (recommended for exec in the same guide).
     */
    private createTaskDefinition(
        cfg: NormalizedFargateServiceArgs,
        env: EnvironmentFacts,
        imageUri: pulumi.Output<string>,
        logGroup: cloudwatch.LogGroup,
        executionRole: iam.Role,
        taskRole: iam.Role,
    ): ecs.TaskDefinition {
        const volumes = [
            { name: "tmp", containerPath: "/tmp" },
            ...(cfg.exec
                ? EXEC_AGENT_PATHS.map((path) => ({ name: `exec${path.replace(/\//g, "-")}`, containerPath: path }))
                : []),
        ];
        const container: Record<string, unknown> = {
            name: this.name,
            image: imageUri,
            essential: true,
            readonlyRootFilesystem: true,
            privileged: false,
            ...(cfg.user !== undefined ? { user: cfg.user } : {}),
            ...(cfg.command !== undefined ? { command: cfg.command } : {}),
            ...(cfg.port !== undefined ? { portMappings: [{ containerPort: cfg.port, protocol: "tcp" }] } : {}),
            environment: [
                { name: "SERVICE_NAME", value: this.name },
                ...Object.entries(cfg.environment).map(([name, value]) => ({ name, value })),
            ],
            secrets: cfg.secrets.map((s) => ({
                name: s.name,
                // `<arn>:<json-key>:<version-stage>:<version-id>`; empty stage and id mean AWSCURRENT.
                valueFrom: s.jsonKey === undefined ? s.secretArn : pulumi.interpolate`${s.secretArn}:${s.jsonKey}::`,
            })),
            ...(cfg.healthCheckCommand !== undefined
                ? {
                      // Seed 002: every 30 s, 5 s timeout, unhealthy after 3 failures; a minute to start.
                      healthCheck: {
                          command: cfg.healthCheckCommand,
                          interval: 30,
                          timeout: 5,
                          retries: 3,
                          startPeriod: 60,
                      },
                  }
                : {}),
            stopTimeout: cfg.stopTimeoutSeconds,
            mountPoints: volumes.map((v) => ({
                sourceVolume: v.name,
                containerPath: v.containerPath,
                readOnly: false,
            })),
            ...(cfg.exec ? { linuxParameters: { initProcessEnabled: true } } : {}),
            logConfiguration: {
                logDriver: "awslogs",
                options: {
                    "awslogs-group": logGroup.name,
                    "awslogs-region": env.region,
                    "awslogs-stream-prefix": "ecs",
                    // Non-blocking: a slow CloudWatch Logs never stalls the application's stdout; the
                    // buffer holds bursts (AWS Containers blog, "Preventing log loss with non-blocking
                    // mode in the AWSLogs container log driver").
                    mode: "non-blocking",
                    "max-buffer-size": "25m",
                },
            },
        };
        return new ecs.TaskDefinition(
            this.name,
            {
                family: cfg.names.family,
                cpu: String(cfg.cpu),
                memory: String(cfg.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: [cfg.ec2 ? "EC2" : "FARGATE"],
                runtimePlatform: {
                    operatingSystemFamily: "LINUX",
                    cpuArchitecture: CPU_ARCHITECTURE[cfg.architecture],
                },
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                containerDefinitions: pulumi.jsonStringify(pulumi.output([container])),
                volumes: volumes.map((v) => ({ name: v.name })),
            },
            { parent: this },
        );
    }

    /**
     * The service's own group: no inline rules (the provider then removes AWS's allow-all egress)
     * and no egress at all, the shared application group carries it. With a load balancer group,
     * `port` is admitted from it alone, and that group gets the matching egress rule, so the chain
     * balancer → service is declared in one place (as data stores do for their clients).
     */
    private createSecurityGroup(cfg: NormalizedFargateServiceArgs): {
        securityGroup: ec2.SecurityGroup;
        ingress?: vpc.SecurityGroupIngressRule;
        egress?: vpc.SecurityGroupEgressRule;
    } {
        const securityGroup = new ec2.SecurityGroup(
            `${this.name}-sg`,
            {
                vpcId: cfg.vpcId,
                description: `ECS service ${this.name}`,
                tags: { Name: `${this.name}-sg`, [ROLE_TAG]: "service" },
            },
            { parent: this },
        );
        if (cfg.loadBalancerSecurityGroupId === undefined || cfg.port === undefined) {
            return { securityGroup };
        }
        const ingress = new vpc.SecurityGroupIngressRule(
            `${this.name}-sg-from-lb`,
            {
                securityGroupId: securityGroup.id,
                description: "From the load balancer",
                ipProtocol: "tcp",
                fromPort: cfg.port,
                toPort: cfg.port,
                referencedSecurityGroupId: cfg.loadBalancerSecurityGroupId,
            },
            { parent: this },
        );
        const egress = new vpc.SecurityGroupEgressRule(
            `${this.name}-sg-lb-out`,
            {
                securityGroupId: cfg.loadBalancerSecurityGroupId,
                description: `To ECS service ${this.name}`,
                ipProtocol: "tcp",
                fromPort: cfg.port,
                toPort: cfg.port,
                referencedSecurityGroupId: securityGroup.id,
            },
            { parent: this },
        );
        return { securityGroup, ingress, egress };
    }

    private createService(
        cfg: NormalizedFargateServiceArgs,
        taskDefinition: ecs.TaskDefinition,
        securityGroup: ec2.SecurityGroup,
        startAfter: pulumi.Resource[],
    ): ecs.Service {
        const strategies = cfg.ec2
            ? [{ capacityProvider: cfg.ec2.capacityProviderName, weight: 1, base: 0 }]
            : [
                  { capacityProvider: "FARGATE", weight: cfg.fargateWeight, base: cfg.fargateBase },
                  ...(cfg.spotWeight > 0
                      ? [{ capacityProvider: "FARGATE_SPOT", weight: cfg.spotWeight, base: 0 }]
                      : []),
              ];
        return new ecs.Service(
            this.name,
            {
                name: cfg.names.serviceName,
                cluster: cfg.clusterArn,
                taskDefinition: taskDefinition.arn,
                desiredCount: cfg.bootstrap ? 0 : cfg.desiredCount,
                capacityProviderStrategies: strategies,
                // The provider replaces a service whose strategy changes unless it may force a new
                // deployment (capacityProviderStrategies: "Updating this argument requires
                // forceNewDeployment = true"), and a replacement would collide with the fixed name.
                // A deployment happens only when the service itself changes.
                forceNewDeployment: true,
                networkConfiguration: {
                    subnets: cfg.subnetIds,
                    securityGroups: [securityGroup.id, cfg.appSecurityGroupId],
                    assignPublicIp: false,
                },
                loadBalancers: cfg.targetGroupArns.map((targetGroupArn) => ({
                    targetGroupArn,
                    containerName: this.name,
                    containerPort: cfg.port as number,
                })),
                healthCheckGracePeriodSeconds: cfg.healthCheckGracePeriodSeconds,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                // Seed 002's rolling deploys: full capacity throughout, new tasks start beside the old.
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                enableExecuteCommand: cfg.exec !== undefined,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                // Spread tasks back across AZs after an AZ event or scale-in. Set explicitly: ECS
                // turns it on by default only for new compatible services, and treats an existing
                // service that never set it as DISABLED (provider docs, availabilityZoneRebalancing).
                availabilityZoneRebalancing: "ENABLED",
                // CI waits for the deployment itself (aws ecs wait services-stable); the circuit
                // breaker rolls a failed one back either way.
                waitForSteadyState: false,
            },
            {
                parent: this,
                // Auto scaling owns the count after creation: the provider's docs ("Ignoring changes
                // to desired count") advise ignoring it, or every deploy resets what scaling decided.
                ignoreChanges: ["desiredCount"],
                // Tasks started before the roles' policies exist fail to pull or to read secrets, and
                // before the balancer's ingress exists they fail its health checks.
                dependsOn: startAfter,
            },
        );
    }

    /**
     * Target tracking between minCount and maxCount. Several policies on one target: Application
     * Auto Scaling scales out when any of them asks and in only when all agree. No policy when the
     * count is fixed (minCount = maxCount): the target alone keeps it there.
     */
    private createScaling(
        cfg: NormalizedFargateServiceArgs,
        service: ecs.Service,
    ): { target: appautoscaling.Target; policies: appautoscaling.Policy[] } {
        const target = new appautoscaling.Target(
            `${this.name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${cfg.clusterName}/${service.name}`,
                minCapacity: cfg.minCount,
                maxCapacity: cfg.maxCount,
            },
            { parent: this },
        );
        if (cfg.minCount === cfg.maxCount) {
            return { target, policies: [] };
        }
        const policy = (
            suffix: string,
            targetValue: number,
            metric: Pick<
                input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration,
                "predefinedMetricSpecification" | "customizedMetricSpecification"
            >,
        ) =>
            new appautoscaling.Policy(
                `${this.name}-${suffix}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    targetTrackingScalingPolicyConfiguration: {
                        targetValue,
                        scaleInCooldown: cfg.scaleInCooldownSeconds,
                        scaleOutCooldown: cfg.scaleOutCooldownSeconds,
                        ...metric,
                    },
                },
                { parent: this },
            );
        const policies = [
            policy("cpu", cfg.cpuTargetPercent, {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
            }),
            policy("memory", cfg.memoryTargetPercent, {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
            }),
        ];
        if (cfg.requests) {
            policies.push(
                policy("requests", cfg.requests.perTarget, {
                    predefinedMetricSpecification: {
                        predefinedMetricType: "ALBRequestCountPerTarget",
                        resourceLabel: cfg.requests.resourceLabel,
                    },
                }),
            );
        }
        if (cfg.queueScaling) {
            // Backlog per task as metric math, the form of Application Auto Scaling's "Example: Amazon
            // SQS queue backlog per task" (target tracking with metric math, since March 2023). With
            // no running task the quotient has no data, so this policy never scales up from 0.
            policies.push(
                policy("backlog", cfg.queueScaling.messagesPerTask, {
                    customizedMetricSpecification: {
                        metrics: [
                            {
                                id: "m1",
                                label: "Messages waiting in the queue",
                                metricStat: {
                                    metric: {
                                        namespace: "AWS/SQS",
                                        metricName: "ApproximateNumberOfMessagesVisible",
                                        dimensions: [{ name: "QueueName", value: cfg.queueScaling.queueName }],
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
                                            { name: "ClusterName", value: cfg.clusterName },
                                            { name: "ServiceName", value: service.name },
                                        ],
                                    },
                                    stat: "Average",
                                },
                                returnData: false,
                            },
                            { id: "e1", label: "Backlog per task", expression: "m1 / m2", returnData: true },
                        ],
                    },
                }),
            );
        }
        return { target, policies };
    }

    /**
     * Running tasks below minCount is critical (the service lost capacity it should always have);
     * it is absent while bootstrapping (no task should run) and with minCount 0. Container Insights
     * publishes the service's RunningTaskCount every minute, 0 included, so missing data means
     * Insights is off, which the pack's `alarm-ecs` reports. CPU and memory warn (seed 002: 80 % and
     * 85 % for 5 minutes), linked to the service by its name output as the pack's `alarm-ecs` expects.
     */
    private createAlarms(cfg: NormalizedFargateServiceArgs, service: ecs.Service): cloudwatch.MetricAlarm[] {
        const dimensions = { ClusterName: cfg.clusterName, ServiceName: service.name };
        const minutes = FARGATE_SERVICE_ALARMS.minutes;
        const alarms: cloudwatch.MetricAlarm[] = [];
        if (!cfg.bootstrap && cfg.minCount >= 1) {
            alarms.push(
                createAlarm(
                    `${this.name}-running-tasks`,
                    {
                        description: `${this.name} has run fewer than ${cfg.minCount} tasks for ${minutes} minutes: tasks are failing to start or being stopped. Check the service's events and stopped tasks (aws ecs describe-services / describe-tasks) and its logs.`,
                        severity: "critical",
                        namespace: "ECS/ContainerInsights",
                        metricName: "RunningTaskCount",
                        dimensions,
                        statistic: "Maximum",
                        period: 60,
                        evaluationPeriods: minutes,
                        threshold: cfg.minCount,
                        comparisonOperator: "LessThanThreshold",
                    },
                    cfg.alarmRoutes,
                    { parent: this },
                ),
            );
        }
        for (const [metricName, key, threshold] of [
            ["CPUUtilization", "cpu", FARGATE_SERVICE_ALARMS.cpuHighPercent],
            ["MemoryUtilization", "memory", FARGATE_SERVICE_ALARMS.memoryHighPercent],
        ] as const) {
            alarms.push(
                createAlarm(
                    `${this.name}-${key}-high`,
                    {
                        description: `${this.name}'s average ${key} has been above ${threshold} % for ${minutes} minutes: scaling is at maxCount (${cfg.maxCount}) or not keeping up. Raise maxCount or the task size, or find what is using it.`,
                        severity: "warning",
                        namespace: "AWS/ECS",
                        metricName,
                        dimensions,
                        statistic: "Average",
                        period: 60,
                        evaluationPeriods: minutes,
                        threshold,
                        comparisonOperator: "GreaterThanThreshold",
                    },
                    cfg.alarmRoutes,
                    { parent: this },
                ),
            );
        }
        return alarms;
    }

    private createWidgets(cfg: NormalizedFargateServiceArgs, service: ecs.Service): DashboardWidget[] {
        const dims = ["ClusterName", cfg.clusterName, "ServiceName", service.name];
        return [
            metricWidget(`${this.name}: CPU (%)`, [["AWS/ECS", "CPUUtilization", ...dims]], { width: 8 }),
            metricWidget(`${this.name}: memory (%)`, [["AWS/ECS", "MemoryUtilization", ...dims]], { width: 8 }),
            metricWidget(
                `${this.name}: tasks`,
                [
                    ["ECS/ContainerInsights", "RunningTaskCount", ...dims],
                    ["ECS/ContainerInsights", "DesiredTaskCount", ...dims],
                ],
                { stat: "Maximum", period: 60, width: 8 },
            ),
        ];
    }
}

/** The service's children. Optional ones exist only in the configurations that need them. */
export interface FargateServiceNodes {
    /** Absent when `image` is given. */
    repository?: ecr.Repository;
    lifecyclePolicy?: ecr.LifecyclePolicy;
    logGroup: cloudwatch.LogGroup;
    executionRole: iam.Role;
    executionRolePolicy: iam.RolePolicy;
    taskRole: iam.Role;
    /** Absent when the application is granted nothing (no `access`, no exec). */
    taskRolePolicy?: iam.RolePolicy;
    taskDefinition: ecs.TaskDefinition;
    securityGroup: ec2.SecurityGroup;
    /** With `loadBalancerSecurityGroupId` and `port`. */
    loadBalancerIngress?: vpc.SecurityGroupIngressRule;
    loadBalancerEgress?: vpc.SecurityGroupEgressRule;
    service: ecs.Service;
    /** Absent while bootstrapping. */
    scalingTarget?: appautoscaling.Target;
    scalingPolicies: appautoscaling.Policy[];
    alarms: cloudwatch.MetricAlarm[];
}

interface EnvironmentFacts {
    account: pulumi.Output<string>;
    dnsSuffix: pulumi.Output<string>;
    region: pulumi.Output<string>;
}

interface Statement {
    Sid: string;
    Effect: "Allow";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[] | pulumi.Output<string[]>;
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/** The ARNs once each (the same key often encrypts several secrets); Outputs resolve first, so it's an Output. */
function distinct(arns: pulumi.Input<string>[]): pulumi.Output<string[]> {
    return pulumi.all(arns).apply((all) => [...new Set(all)]);
}

/** kms:ViaService for a service in this region: the key may be used only through that service. */
function viaService(service: string, env: EnvironmentFacts): Statement["Condition"] {
    return { StringEquals: { "kms:ViaService": pulumi.interpolate`${service}.${env.region}.${env.dnsSuffix}` } };
}

/** GetSecretValue on exactly these secrets, and Decrypt on their keys through Secrets Manager only. */
function secretStatements(
    sid: string,
    secretArns: pulumi.Input<string>[],
    kmsKeyArns: (pulumi.Input<string> | undefined)[],
    env: EnvironmentFacts,
): Statement[] {
    if (secretArns.length === 0) {
        return [];
    }
    const keys = kmsKeyArns.filter((k): k is pulumi.Input<string> => k !== undefined);
    return [
        { Sid: `Read${sid}`, Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: distinct(secretArns) },
        ...(keys.length > 0
            ? [
                  {
                      Sid: `Decrypt${sid}`,
                      Effect: "Allow" as const,
                      Action: "kms:Decrypt",
                      Resource: distinct(keys),
                      Condition: viaService("secretsmanager", env),
                  },
              ]
            : []),
    ];
}

/**
 * The task role's statements for `access`. SQS needs no KMS grant: the platform's queues use
 * SSE-SQS (see `Queue`); a queue with a customer-managed key needs kms:GenerateDataKey/Decrypt on
 * it, added to `nodes.taskRole`.
 */
function accessStatements(access: NormalizedAccess, env: EnvironmentFacts): Statement[] {
    const statements: Statement[] = [];
    if (access.sendQueueArns.length > 0) {
        statements.push({
            Sid: "SendToQueues",
            Effect: "Allow",
            Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            Resource: access.sendQueueArns,
        });
    }
    if (access.consumeQueueArns.length > 0) {
        statements.push({
            Sid: "ConsumeQueues",
            Effect: "Allow",
            Action: [
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
            ],
            Resource: access.consumeQueueArns,
        });
    }
    access.buckets.forEach((b, i) => {
        const n = i + 1;
        const objects = pulumi.interpolate`${b.bucketArn}/${b.prefix}*`;
        if (b.read) {
            statements.push({ Sid: `ReadObjects${n}`, Effect: "Allow", Action: "s3:GetObject", Resource: objects });
            // Listing lets a missing key answer 404 instead of 403; limited to the prefix.
            statements.push({
                Sid: `ListObjects${n}`,
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: b.bucketArn,
                ...(b.prefix !== "" ? { Condition: { StringLike: { "s3:prefix": `${b.prefix}*` } } } : {}),
            });
        }
        if (b.write) {
            statements.push({
                Sid: `WriteObjects${n}`,
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:DeleteObject"],
                Resource: objects,
            });
        }
        if (b.kmsKeyArn !== undefined) {
            // Writing needs Decrypt too: S3 decrypts the data key to complete a multipart upload.
            statements.push({
                Sid: `BucketKey${n}`,
                Effect: "Allow",
                Action: b.write ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt",
                Resource: b.kmsKeyArn,
                Condition: viaService("s3", env),
            });
        }
    });
    statements.push(
        ...secretStatements(
            "RuntimeSecrets",
            access.runtimeSecrets.map((s) => s.secretArn),
            access.runtimeSecrets.map((s) => s.kmsKeyArn),
            env,
        ),
    );
    if (access.sesIdentityArns.length > 0) {
        const templated = access.sesTemplateArns.length > 0;
        statements.push({
            Sid: "SendEmail",
            Effect: "Allow",
            Action: ["ses:SendEmail", "ses:SendRawEmail", ...(templated ? ["ses:SendTemplatedEmail"] : [])],
            Resource: [...access.sesIdentityArns, ...access.sesTemplateArns],
            ...(access.sesFromAddresses.length > 0
                ? { Condition: { StringLike: { "ses:FromAddress": access.sesFromAddresses } } }
                : {}),
        });
    }
    return statements;
}

/**
 * ECS Exec from the task role (ECS Developer Guide, "ECS Exec": IAM permissions, logging to
 * CloudWatch Logs, encryption with your own KMS key): the Session Manager channels (no
 * resource-level permissions), DescribeLogGroups (a list call, on "*" as the guide gives it), the
 * session log streams of the cluster's exec group, and Decrypt on the cluster key sessions are
 * encrypted with.
 */
function execStatements(exec: NormalizedExec): Statement[] {
    return [
        {
            Sid: "ExecChannels",
            Effect: "Allow",
            Action: [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            Resource: "*",
        },
        { Sid: "ExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        {
            Sid: "ExecSessionLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            // The provider's LogGroup.arn has no ":*" suffix; streams are addressed under it.
            Resource: pulumi.output(exec.logGroupArn).apply((arn) => `${arn.replace(/:\*$/, "")}:*`),
        },
        { Sid: "ExecSessionKey", Effect: "Allow", Action: "kms:Decrypt", Resource: exec.kmsKeyArn },
    ];
}

// ---- Normalization ---------------------------------------------------------------------------

interface NormalizedBucketAccess {
    bucketArn: pulumi.Input<string>;
    prefix: string;
    read: boolean;
    write: boolean;
    kmsKeyArn?: pulumi.Input<string>;
}

interface NormalizedAccess {
    sendQueueArns: pulumi.Input<string>[];
    consumeQueueArns: pulumi.Input<string>[];
    buckets: NormalizedBucketAccess[];
    runtimeSecrets: FargateServiceRuntimeSecret[];
    sesIdentityArns: pulumi.Input<string>[];
    sesFromAddresses: string[];
    sesTemplateArns: pulumi.Input<string>[];
}

interface NormalizedExec {
    logGroupArn: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
}

/** Every arg with its default applied, checked. */
interface NormalizedFargateServiceArgs {
    names: FargateServiceNames;
    clusterArn: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    appSecurityGroupId: pulumi.Input<string>;
    image?: string;
    imageTag?: string;
    /** Neither image nor imageTag: the first deploy, before CI has pushed (see the class doc). */
    bootstrap: boolean;
    cpu: number;
    memory: number;
    architecture: FargateServiceArchitecture;
    desiredCount: number;
    minCount: number;
    maxCount: number;
    port?: number;
    healthCheckCommand?: string[];
    command?: string[];
    user?: string;
    environment: Record<string, pulumi.Input<string>>;
    secrets: FargateServiceSecret[];
    access: NormalizedAccess;
    fargateWeight: number;
    spotWeight: number;
    fargateBase: number;
    /** Present when the tasks run on an EC2 capacity provider. */
    ec2?: { capacityProviderName: pulumi.Input<string> };
    /** Present when ECS Exec is on. */
    exec?: NormalizedExec;
    logGroupName: string;
    logRetentionDays: number;
    logKmsKeyArn: pulumi.Input<string>;
    stopTimeoutSeconds: number;
    healthCheckGracePeriodSeconds?: number;
    targetGroupArns: pulumi.Input<string>[];
    loadBalancerSecurityGroupId?: pulumi.Input<string>;
    requests?: { perTarget: number; resourceLabel: pulumi.Input<string> };
    cpuTargetPercent: number;
    memoryTargetPercent: number;
    scaleInCooldownSeconds: number;
    scaleOutCooldownSeconds: number;
    queueScaling?: FargateServiceQueueScaling;
    alarmRoutes: AlarmRoutes;
    repositoryKmsKeyArn?: pulumi.Input<string>;
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
}

/**
 * Applies defaults and validates; every error names the argument. Pure (no resource, no Output
 * awaited), exported for tests. The checks, in order:
 *
 * - the name is a container name (letters, digits, `-`, `_`; it names the container);
 * - the required inputs are present, and a plain `subnetIds` list is not empty;
 * - `image` and `imageTag` are exclusive; `image` is an image reference; `imageTag` is a Docker tag,
 *   not `latest` (tags are immutable) and not the reserved bootstrap tag;
 * - `cpu`/`memory` is a Fargate task size (also on EC2, so a service can move between the two);
 * - `architecture` is x86_64 or arm64;
 * - counts are whole numbers within 0-1000, maxCount ≥ 1, minCount ≤ desiredCount ≤ maxCount;
 * - `port` is 1-65535; `healthCheckPath` is a URL path; `healthCheckCommand` starts with CMD or
 *   CMD-SHELL and has a command; `command` has no empty element;
 * - `user` has the form uid[:gid] / name[:group] and is not root (0);
 * - environment and secret names are variable names, distinct from each other and from
 *   SERVICE_NAME; a secret's `jsonKey` has no `:`;
 * - bucket grants read or write something, and a prefix has no leading `/` and no IAM wildcard;
 * - Fargate weights are 0-1000 with one above 0, the base 0-100000; with `capacityProviderName`
 *   none of them is set;
 * - exec has its log group and key;
 * - `logGroupName` is a log group name; `logRetentionDays` a CloudWatch Logs period;
 * - `stopTimeoutSeconds` is 1-120;
 * - `targetGroupArns` and `loadBalancerSecurityGroupId` need `port`; the grace period needs target
 *   groups (0-7200 s);
 * - `requestsPerTarget` (1-100000) needs target groups and `targetGroupResourceLabel`, and the
 *   label needs it;
 * - targets are 1-100 %, cooldowns 0-3600 s, `queueScaling.messagesPerTask` 1-100000.
 */
export function normalizeFargateServiceArgs(name: string, args: FargateServiceArgs): NormalizedFargateServiceArgs {
    const check = new ArgChecker("FargateService", name, args);
    if (!CONTAINER_NAME.test(name)) {
        check.fail(
            "name",
            `(the component's name, which names the container) is ${JSON.stringify(name)}; use letters, digits, - and _, starting with a letter or digit, up to 255`,
        );
    }
    for (const arg of [
        "clusterArn",
        "clusterName",
        "vpcId",
        "subnetIds",
        "appSecurityGroupId",
        "logKmsKeyArn",
        "alarmTopicArn",
    ] as const) {
        if (args[arg] === undefined || args[arg] === null || args[arg] === "") {
            check.fail(arg, "is required");
        }
    }
    if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0) {
        check.fail("subnetIds", "is empty; give the private subnets the tasks run in (one per AZ)");
    }

    const { image, imageTag } = normalizeImage(check, args);
    const cpu = check.int("cpu", 256, 1, 16384);
    const memory = check.int("memory", 512, 1, 122880);
    const size = fargateSizeProblem(cpu, memory);
    if (size !== undefined) {
        check.fail(size.startsWith("cpu") ? "cpu" : "memory", `is invalid: ${size}`);
    }
    const architecture = check.oneOf("architecture", args.architecture ?? "x86_64", FARGATE_SERVICE_ARCHITECTURES);
    const counts = normalizeCounts(check);
    const port = args.port === undefined ? undefined : check.int("port", 0, 1, 65535);
    const healthCheckPath = check.match(
        "healthCheckPath",
        args.healthCheckPath ?? "/health",
        HEALTH_CHECK_PATH,
        "expected a URL path starting with / (no spaces)",
    );
    const healthCheckCommand = normalizeHealthCheck(check, args, port, healthCheckPath);
    if (args.command !== undefined && (args.command.length === 0 || args.command.some((c) => c === ""))) {
        check.fail("command", "has no elements or an empty one; give the program and its arguments");
    }
    const user =
        args.user === undefined
            ? undefined
            : check.match("user", args.user, USER, "expected uid[:gid] or name[:group]");
    if (user !== undefined && /^(0|root)$/i.test(user.split(":")[0])) {
        check.fail("user", `is ${JSON.stringify(user)}, which is root; run as a non-root uid:gid such as "1000:1000"`);
    }
    const { environment, secrets } = normalizeEnvironment(check, args);
    const access = normalizeAccess(check, args.access ?? {});
    const capacity = normalizeCapacity(check, args);
    const exec = normalizeExec(check, args);
    const logGroupName = check.match(
        "logGroupName",
        args.logGroupName ?? fargateServiceNames(name).logGroupName,
        LOG_GROUP_NAME,
        "expected 1-512 letters, digits and _ . / # -",
    );
    const logRetentionDays = args.logRetentionDays ?? 30;
    check.rule("logRetentionDays", logRetentionDays, logRetentionProblem(logRetentionDays));
    const stopTimeoutSeconds = check.int("stopTimeoutSeconds", 30, 1, MAX_STOP_TIMEOUT_SECONDS);
    const loadBalancing = normalizeLoadBalancing(check, args, port);
    const queueScaling = normalizeQueueScaling(check, args);
    return {
        names: fargateServiceNames(name),
        clusterArn: args.clusterArn,
        clusterName: args.clusterName,
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        appSecurityGroupId: args.appSecurityGroupId,
        image,
        imageTag,
        bootstrap: image === undefined && imageTag === undefined,
        cpu,
        memory,
        architecture,
        ...counts,
        port,
        healthCheckCommand,
        command: args.command,
        user,
        environment,
        secrets,
        access,
        ...capacity,
        exec,
        logGroupName,
        logRetentionDays,
        logKmsKeyArn: args.logKmsKeyArn,
        stopTimeoutSeconds,
        ...loadBalancing,
        cpuTargetPercent: check.int("cpuTargetPercent", 70, 1, 100),
        memoryTargetPercent: check.int("memoryTargetPercent", 80, 1, 100),
        scaleInCooldownSeconds: check.int("scaleInCooldownSeconds", 300, 0, 3600),
        scaleOutCooldownSeconds: check.int("scaleOutCooldownSeconds", 60, 0, 3600),
        queueScaling,
        alarmRoutes: alarmRoutes(args.alarmTopicArn, args.criticalAlarmTopicArn),
        permissionsBoundaryArn: args.permissionsBoundaryArn,
        repositoryKmsKeyArn: args.repositoryKmsKeyArn,
        protect: args.protect ?? false,
    };
}

type Check = ArgChecker<FargateServiceArgs>;

function normalizeImage(check: Check, args: FargateServiceArgs): { image?: string; imageTag?: string } {
    if (args.image !== undefined && args.imageTag !== undefined) {
        check.fail(
            "imageTag",
            "is set together with image; use image (an image elsewhere) or imageTag (the service's own repository)",
        );
    }
    if (args.image !== undefined) {
        check.match("image", args.image, IMAGE_REFERENCE, "expected [registry/]repository[:tag][@sha256:digest]");
    }
    if (args.imageTag !== undefined) {
        check.match(
            "imageTag",
            args.imageTag,
            IMAGE_TAG,
            "expected a Docker tag (letters, digits, _ . -; up to 128; not starting with . or -)",
        );
        if (args.imageTag === "latest" || args.imageTag === BOOTSTRAP_IMAGE_TAG) {
            check.fail(
                "imageTag",
                args.imageTag === "latest"
                    ? 'is "latest": the repository\'s tags are immutable, so every build needs its own tag (e.g. the git SHA)'
                    : `is ${JSON.stringify(BOOTSTRAP_IMAGE_TAG)}, the tag reserved for the first deploy; leave imageTag unset for that`,
            );
        }
    }
    return { image: args.image, imageTag: args.imageTag };
}

function normalizeCounts(check: Check): { desiredCount: number; minCount: number; maxCount: number } {
    const desiredCount = check.int("desiredCount", 1, SERVICE_TASK_COUNT.min, SERVICE_TASK_COUNT.max);
    const minCount = check.int("minCount", 1, SERVICE_TASK_COUNT.min, SERVICE_TASK_COUNT.max);
    const maxCount = check.int("maxCount", 2, Math.max(1, SERVICE_TASK_COUNT.min), SERVICE_TASK_COUNT.max);
    if (minCount > maxCount) {
        check.fail("minCount", `is ${minCount}, above maxCount (${maxCount})`);
    }
    if (desiredCount < minCount || desiredCount > maxCount) {
        check.fail("desiredCount", `is ${desiredCount}, outside [minCount, maxCount] = [${minCount}, ${maxCount}]`);
    }
    return { desiredCount, minCount, maxCount };
}

function normalizeHealthCheck(
    check: Check,
    args: FargateServiceArgs,
    port: number | undefined,
    path: string,
): string[] | undefined {
    const command = args.healthCheckCommand;
    if (command === undefined) {
        return port === undefined ? undefined : httpHealthCheckCommand(port, path);
    }
    if (command.length < 2 || (command[0] !== "CMD" && command[0] !== "CMD-SHELL") || command.some((c) => c === "")) {
        check.fail(
            "healthCheckCommand",
            `is ${JSON.stringify(command)}; expected ["CMD", program, ...args] or ["CMD-SHELL", "command line"]`,
        );
    }
    return command;
}

function normalizeEnvironment(
    check: Check,
    args: FargateServiceArgs,
): { environment: Record<string, pulumi.Input<string>>; secrets: FargateServiceSecret[] } {
    const environment = args.environment ?? {};
    for (const key of Object.keys(environment)) {
        if (!ENV_NAME.test(key)) {
            check.fail("environment", `has ${JSON.stringify(key)}, which is not a variable name (letters, digits, _)`);
        }
        if (key === "SERVICE_NAME") {
            check.fail("environment", "sets SERVICE_NAME, which the component sets to the service's name");
        }
    }
    const secrets = args.secrets ?? [];
    const seen = new Set<string>();
    secrets.forEach((s, i) => {
        const arg = `secrets[${i}]`;
        if (!ENV_NAME.test(s.name ?? "")) {
            check.fail(
                `${arg}.name`,
                `is ${JSON.stringify(s.name)}, which is not a variable name (letters, digits, _)`,
            );
        }
        if (s.name === "SERVICE_NAME" || s.name in environment || seen.has(s.name)) {
            check.fail(`${arg}.name`, `is ${s.name}, which environment or another secret already sets`);
        }
        seen.add(s.name);
        if (s.secretArn === undefined || s.secretArn === "") {
            check.fail(`${arg}.secretArn`, "is required");
        }
        if (s.jsonKey !== undefined && !JSON_KEY.test(s.jsonKey)) {
            check.fail(`${arg}.jsonKey`, `is ${JSON.stringify(s.jsonKey)}; a JSON key without ':' or spaces`);
        }
    });
    return { environment, secrets };
}

function normalizeAccess(check: Check, access: FargateServiceAccess): NormalizedAccess {
    const buckets = (access.buckets ?? []).map((b, i): NormalizedBucketAccess => {
        const arg = `access.buckets[${i}]`;
        const prefix = b.prefix ?? "";
        if (prefix.startsWith("/") || /[*?]/.test(prefix)) {
            check.fail(
                `${arg}.prefix`,
                `is ${JSON.stringify(prefix)}; a key prefix has no leading / and no * or ? (IAM would read them as wildcards)`,
            );
        }
        const read = b.read ?? true;
        const write = b.write ?? false;
        if (!read && !write) {
            check.fail(`${arg}`, "grants neither read nor write; remove it or set one");
        }
        return { bucketArn: b.bucketArn, prefix, read, write, kmsKeyArn: b.kmsKeyArn };
    });
    (access.runtimeSecrets ?? []).forEach((s, i) => {
        if (s.secretArn === undefined || s.secretArn === "") {
            check.fail(`access.runtimeSecrets[${i}].secretArn`, "is required");
        }
    });
    return {
        sendQueueArns: access.sendQueueArns ?? [],
        consumeQueueArns: access.consumeQueueArns ?? [],
        buckets,
        runtimeSecrets: access.runtimeSecrets ?? [],
        sesIdentityArns: access.sesIdentityArns ?? [],
        sesFromAddresses: access.sesFromAddresses ?? [],
        sesTemplateArns: access.sesTemplateArns ?? [],
    };
}

function normalizeCapacity(
    check: Check,
    args: FargateServiceArgs,
): {
    fargateWeight: number;
    spotWeight: number;
    fargateBase: number;
    ec2?: { capacityProviderName: pulumi.Input<string> };
} {
    if (args.capacityProviderName !== undefined) {
        for (const arg of ["fargateWeight", "spotWeight", "fargateBase"] as const) {
            if (args[arg] !== undefined) {
                check.fail(
                    arg,
                    "is set together with capacityProviderName; the tasks run on the EC2 capacity provider, not Fargate",
                );
            }
        }
        return {
            fargateWeight: 0,
            spotWeight: 0,
            fargateBase: 0,
            ec2: { capacityProviderName: args.capacityProviderName },
        };
    }
    // CreateService: weights 0-1000, base 0-100000, and at least one provider with a weight above 0.
    const fargateWeight = check.int("fargateWeight", 1, 0, 1000);
    const spotWeight = check.int("spotWeight", 0, 0, 1000);
    const fargateBase = check.int("fargateBase", 0, 0, 100000);
    if (fargateWeight === 0 && spotWeight === 0) {
        check.fail("fargateWeight", "and spotWeight are both 0; at least one must be above 0");
    }
    return { fargateWeight, spotWeight, fargateBase };
}

function normalizeExec(check: Check, args: FargateServiceArgs): NormalizedExec | undefined {
    if (!(args.enableExecuteCommand ?? false)) {
        return undefined;
    }
    if (args.execLogGroupArn === undefined) {
        check.fail("execLogGroupArn", "is required with enableExecuteCommand (the cluster's execLogGroupArn)");
    }
    if (args.execKmsKeyArn === undefined) {
        check.fail("execKmsKeyArn", "is required with enableExecuteCommand (the cluster's logsKmsKeyArn)");
    }
    return { logGroupArn: args.execLogGroupArn, kmsKeyArn: args.execKmsKeyArn };
}

function normalizeLoadBalancing(
    check: Check,
    args: FargateServiceArgs,
    port: number | undefined,
): Pick<
    NormalizedFargateServiceArgs,
    "targetGroupArns" | "loadBalancerSecurityGroupId" | "healthCheckGracePeriodSeconds" | "requests"
> {
    const targetGroupArns = args.targetGroupArns ?? [];
    if (targetGroupArns.length > 0 && port === undefined) {
        check.fail("targetGroupArns", "needs port: the target groups forward to the container's port");
    }
    if (args.loadBalancerSecurityGroupId !== undefined && port === undefined) {
        check.fail("loadBalancerSecurityGroupId", "needs port: it is the port the service's group admits");
    }
    if (args.healthCheckGracePeriodSeconds !== undefined && targetGroupArns.length === 0) {
        check.fail(
            "healthCheckGracePeriodSeconds",
            "is set without targetGroupArns; it applies to load balancer health checks",
        );
    }
    const healthCheckGracePeriodSeconds =
        targetGroupArns.length > 0 ? check.int("healthCheckGracePeriodSeconds", 60, 0, 7200) : undefined;
    let requests: NormalizedFargateServiceArgs["requests"];
    if (args.requestsPerTarget !== undefined) {
        const perTarget = check.int("requestsPerTarget", 0, 1, 100000);
        if (targetGroupArns.length === 0) {
            check.fail("requestsPerTarget", "needs targetGroupArns: it counts the requests a target group receives");
        }
        if (args.targetGroupResourceLabel === undefined || args.targetGroupResourceLabel === "") {
            check.fail(
                "targetGroupResourceLabel",
                "is required with requestsPerTarget: app/<alb-name>/<id>/targetgroup/<tg-name>/<id>",
            );
        }
        requests = { perTarget, resourceLabel: args.targetGroupResourceLabel };
    } else if (args.targetGroupResourceLabel !== undefined) {
        check.fail("targetGroupResourceLabel", "is set without requestsPerTarget, the only thing that uses it");
    }
    return {
        targetGroupArns,
        loadBalancerSecurityGroupId: args.loadBalancerSecurityGroupId,
        healthCheckGracePeriodSeconds,
        requests,
    };
}

function normalizeQueueScaling(check: Check, args: FargateServiceArgs): FargateServiceQueueScaling | undefined {
    const q = args.queueScaling;
    if (q === undefined) {
        return undefined;
    }
    if (q.queueName === undefined || q.queueName === "") {
        check.fail("queueScaling.queueName", "is required (the queue's QueueName dimension)");
    }
    if (!Number.isInteger(q.messagesPerTask) || q.messagesPerTask < 1 || q.messagesPerTask > 100000) {
        check.fail("queueScaling.messagesPerTask", `is ${q.messagesPerTask}; must be a whole number from 1 to 100000`);
    }
    return q;
}
