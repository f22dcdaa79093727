import { z } from "zod";
import { fargateSizeProblem } from "../components/internal/fargate";
import {
    GITHUB_ENVIRONMENT,
    GITHUB_OIDC_PROVIDER_ARN,
    GIT_BRANCH,
    githubRepositoryProblem,
} from "../components/internal/rules";
import type { ConfigProblem } from "./errors";
import type { Environment } from "./schema";
import { distinctArray, logRetentionDays } from "./values";

/**
 * The application tier's config sections: `groundwork:services` (the ECS services, keyed by
 * name), `groundwork:cluster` (where they run) and `groundwork:deploy` (the GitHub Actions roles).
 * Raw schemas with every field documented, the tier defaults in one table, and
 * {@link resolveServicesConfig}, which applies them and checks what spans fields and services.
 *
 * Only type imports from `./schema` (schema.ts imports this module; see data.ts).
 */

const NAMESPACE = "groundwork";

/** The queues a service may send to or consume from (the program's two `Queue`s). */
export const QUEUE_NAMES = ["jobs", "events"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The buckets a service may read or write (the program's two `Bucket`s). */
export const BUCKET_NAMES = ["uploads", "assets"] as const;
export type BucketName = (typeof BUCKET_NAMES)[number];

/** The secrets the platform itself holds; third-party keys (`secrets.thirdPartyKeys`) come on top. */
export const PLATFORM_SECRETS = ["database", "cache", "jwt"] as const;

export const CAPACITIES = ["fargate", "ec2"] as const;
export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export const CONTAINER_INSIGHTS = ["enhanced", "enabled"] as const;

/**
 * A service name: lower-case letters, digits and hyphens, starting with a letter, at most 24
 * characters. It becomes part of names AWS limits: the ECR repository (lower-case only), the
 * IAM roles (64), the log group, and in the next tier the target group (32, with the stack).
 */
export const SERVICE_NAME = /^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$/;

/** An environment variable name the container runtime accepts (POSIX portable names). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names the policy pack (`iam-ecs-secrets`) reads as secrets: a value under such a name belongs
 * in Secrets Manager and reaches the container through `secrets`, never `environment`.
 */
export const SECRET_LIKE_ENV_NAME = /PASS|SECRET|TOKEN|KEY|CREDENTIAL/i;

/**
 * The plain environment every service receives from the platform (index.ts fills it from the
 * components' outputs; the compiler keeps the two lists equal). A stack's `environment` may not
 * redefine them.
 */
export const PLATFORM_ENV_NAMES = [
    "ENVIRONMENT",
    "AWS_REGION",
    "PORT",
    "DATABASE_HOST",
    "DATABASE_PORT",
    "DATABASE_NAME",
    "DATABASE_USER",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_TLS",
    "JOBS_QUEUE_URL",
    "EVENTS_QUEUE_URL",
    "UPLOADS_BUCKET",
    "ASSETS_BUCKET",
] as const;
export type PlatformEnvName = (typeof PLATFORM_ENV_NAMES)[number];

/** What a service is told about sign-in and mail, when the stack has them (index.ts sets them). */
export const IDENTITY_ENV_NAMES = [
    "AUTH_USER_POOL_ID",
    "AUTH_CLIENT_ID",
    "AUTH_ISSUER_URL",
    "AUTH_JWKS_URL",
    "MAIL_FROM_ADDRESS",
    "MAIL_CONFIGURATION_SET",
] as const;

/** Set by the FargateService component itself, or by the program for identity and mail. */
const COMPONENT_ENV_NAMES: readonly string[] = ["SERVICE_NAME", ...IDENTITY_ENV_NAMES];

/**
 * The variable a secret is injected as: the platform's by role, a third-party key as
 * `<NAME>_API_KEY` (`payments` → `PAYMENTS_API_KEY`).
 */
export function secretEnvName(secret: string): string {
    switch (secret) {
        case "database":
            return "DATABASE_PASSWORD";
        case "cache":
            return "REDIS_AUTH_TOKEN";
        case "jwt":
            return "JWT_SIGNING_KEY";
        default:
            return `${secret.toUpperCase().replace(/-/g, "_")}_API_KEY`;
    }
}

/** `uploads` or `uploads/<prefix>/`: a bucket, or the keys under one prefix of it. */
const BUCKET_REF = new RegExp(`^(${BUCKET_NAMES.join("|")})(/[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*/)?$`);

const bucketRef = z.string().regex(BUCKET_REF, {
    message: `is not a bucket or bucket prefix; use ${BUCKET_NAMES.join(" or ")}, optionally with a prefix ending in "/" (uploads/avatars/)`,
});

const accessSchema = z.strictObject({
    /** Queues the service sends to (sqs:SendMessage). */
    send: distinctArray(z.enum(QUEUE_NAMES)).optional(),
    /** Queues the service consumes (receive, delete, change visibility). The first one drives backlog scaling. */
    consume: distinctArray(z.enum(QUEUE_NAMES)).optional(),
    /** Buckets (or `bucket/prefix/`) whose objects the service reads. */
    read: distinctArray(bucketRef).optional(),
    /** Buckets (or `bucket/prefix/`) whose objects the service writes and deletes. */
    write: distinctArray(bucketRef).optional(),
    /** Secrets injected as environment variables through ECS `secrets`: database, cache, jwt, or a third-party key. */
    secrets: distinctArray(z.string()).optional(),
    /** Secrets the application reads itself at run time (GetSecretValue on the task role), e.g. to pick up rotation. */
    runtimeSecrets: distinctArray(z.string()).optional(),
});

/** Docker's tag grammar: 1-128 characters, not starting with `.` or `-`. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** `registry/repository[:tag][@sha256:digest]`, no spaces or upper-case repository names. */
const IMAGE_URI = /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** A tag in a service's own repository: a Docker tag, never `latest` (the tags are immutable). */
const imageTag = z
    .string()
    .regex(IMAGE_TAG, {
        message: "is not a Docker tag (letters, digits, _ . -; up to 128; not starting with . or -)",
    })
    .refine((tag) => tag !== "latest", {
        message:
            "is not allowed: the repository's tags are immutable, so every build needs a tag of its own (e.g. the git SHA)",
    });

const serviceSchema = z.strictObject({
    /** A full image URI (`public.ecr.aws/org/app:1.4.2`); the service then gets no repository of its own. */
    image: z
        .string()
        .regex(IMAGE_URI, { message: "is not an image URI (registry/repository[:tag][@sha256:digest])" })
        .optional(),
    /** The tag to run from the service's own ECR repository (the pipeline sets `imageTags` instead). */
    imageTag: imageTag.optional(),
    /** Task CPU units (256 = ¼ vCPU … 16384), a value of the Fargate table. */
    cpu: z.number().int().optional(),
    /** Task memory, MiB, valid for the cpu (Fargate table). */
    memory: z.number().int().optional(),
    /** `x86_64` or `arm64` (Graviton, ≈ 20 % cheaper; the image must be built for it). */
    architecture: z.enum(ARCHITECTURES).optional(),
    /** Tasks to run when autoscaling has not decided otherwise; within [minCount, maxCount]. */
    desiredCount: z.number().int().min(0).max(1000).optional(),
    /** Autoscaling floor. */
    minCount: z.number().int().min(0).max(1000).optional(),
    /** Autoscaling ceiling. */
    maxCount: z.number().int().min(1).max(1000).optional(),
    /** Container port (1024-65535: the container runs as a non-root user, which cannot bind below 1024). Unique per stack. */
    port: z.number().int().min(1024).max(65535).optional(),
    /** HTTP path of the health check (container, and the load balancer's later). */
    healthCheckPath: z
        .string()
        .max(1024)
        .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, { message: "is not a URL path starting with /" })
        .optional(),
    /** Overrides the image's command. */
    command: z.array(z.string().min(1)).min(1).optional(),
    /** Container user (`uid`, `uid:gid`, `name`); default 1000:1000, non-root. */
    user: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, {
            message: "is not a user (uid, uid:gid, name or name:group)",
        })
        .refine((u) => !/^(0|root)(:|$)/.test(u), { message: "is root; containers run as a non-root user" })
        .optional(),
    /** Plain environment values (no secrets: those go in access.secrets). */
    environment: z.record(z.string(), z.string()).optional(),
    /** What the task role may reach, and which secrets are injected. */
    access: accessSchema.optional(),
    /** Run on Fargate Spot too (one task on regular Fargate, the rest 3:1 on Spot): ≈ 70 % cheaper, interruptible. */
    spot: z.boolean().optional(),
    /** ECS Exec (`aws ecs execute-command`), logged to the cluster's encrypted exec log group. */
    exec: z.boolean().optional(),
    /** Retention of the service's log group. */
    logRetentionDays: logRetentionDays.optional(),
    /** Backlog scaling target: visible messages per running task of the first consumed queue. */
    backlogPerTask: z.number().int().min(1).max(100000).optional(),
});

export const servicesSchema = z.record(z.string(), serviceSchema);

export const clusterSchema = z.strictObject({
    /** `fargate` (serverless, default) or `ec2` (an Auto Scaling group of ECS-optimized instances, seed 001). */
    capacity: z.enum(CAPACITIES).optional(),
    /** Container Insights: `enhanced` (task and container metrics) or `enabled`. */
    containerInsights: z.enum(CONTAINER_INSIGHTS).optional(),
    /** Retention of the ECS Exec session log group. */
    execLogRetentionDays: logRetentionDays.optional(),
    /** With capacity ec2: the instances. */
    ec2: z
        .strictObject({
            /** Instance type (Graviton types for arm64 services). Default t3.medium. */
            instanceType: z
                .string()
                .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "is not an EC2 instance type (e.g. t3.medium)" })
                .optional(),
            /** Fewest instances. Default 2. */
            min: z.number().int().min(0).max(1000).optional(),
            /** Most instances. Default 10. */
            max: z.number().int().min(1).max(1000).optional(),
        })
        .optional(),
});

export const deploySchema = z.strictObject({
    /** `owner/name` of the GitHub repository whose Actions deploy this stack. Unset: no OIDC provider, no roles. */
    githubRepository: z
        .string()
        .refine((v) => githubRepositoryProblem(v) === undefined, {
            message: "is not a GitHub repository (owner/name, or owner@<ownerId>/name@<repositoryId>)",
        })
        .optional(),
    /** The protected branch that may push images and deploy. Default main. */
    branch: z.string().regex(GIT_BRANCH, { message: "is not a git branch name" }).optional(),
    /** A GitHub environment (with its protection rules) that deploy jobs must run in; then only it may deploy. */
    environment: z.string().regex(GITHUB_ENVIRONMENT, { message: "is not a GitHub environment name" }).optional(),
    /** ARN of an existing token.actions.githubusercontent.com OIDC provider (an account holds one per URL). */
    oidcProviderArn: z
        .string()
        .regex(GITHUB_OIDC_PROVIDER_ARN, {
            message:
                "is not the ARN of a GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)",
        })
        .optional(),
});

/** The application sections of the raw config; spread into the namespace schema. */
export const servicesConfigShape = {
    services: servicesSchema.optional(),
    cluster: clusterSchema.optional(),
    deploy: deploySchema.optional(),
    /**
     * The image tag each service runs, by service name: what the deploy pipeline sets after pushing
     * (`pulumi config set --path 'groundwork:imageTags.api' <sha>`). Kept apart from `services`
     * so that setting one tag never turns the tier's service list into a list of one.
     */
    imageTags: z.record(z.string(), imageTag).optional(),
};

export type RawServicesConfig = {
    [K in keyof typeof servicesConfigShape]?: z.infer<(typeof servicesConfigShape)[K]>;
};

export interface ServiceAccessConfig {
    send: QueueName[];
    consume: QueueName[];
    read: string[];
    write: string[];
    secrets: string[];
    runtimeSecrets: string[];
}

/** One resolved service: every default applied. */
export interface ServiceConfig {
    image?: string;
    imageTag?: string;
    cpu: number;
    memory: number;
    architecture: (typeof ARCHITECTURES)[number];
    desiredCount: number;
    minCount: number;
    maxCount: number;
    port: number;
    healthCheckPath: string;
    command?: string[];
    user: string;
    environment: Record<string, string>;
    access: ServiceAccessConfig;
    spot: boolean;
    exec: boolean;
    logRetentionDays: number;
    backlogPerTask: number;
}

export interface ClusterConfig {
    capacity: (typeof CAPACITIES)[number];
    containerInsights: (typeof CONTAINER_INSIGHTS)[number];
    execLogRetentionDays: number;
    ec2: { instanceType: string; min: number; max: number };
}

export interface DeployConfig {
    /** Unset: no deploy roles. */
    githubRepository?: string;
    branch: string;
    environment?: string;
    oidcProviderArn?: string;
}

export interface ServicesConfig {
    /** The services, keyed by name, in config order. */
    services: Record<string, ServiceConfig>;
    cluster: ClusterConfig;
    deploy: DeployConfig;
}

type ServiceDefaults = Omit<ServiceConfig, "access"> & { access: Omit<ServiceAccessConfig, "secrets"> } & {
    /** Injected secrets; `thirdParty` adds every third-party key of the stack. */
    secrets: { platform: string[]; thirdParty: boolean };
};

const BASE: Omit<ServiceDefaults, "port"> = {
    cpu: 256,
    memory: 512,
    architecture: "x86_64",
    desiredCount: 1,
    minCount: 1,
    maxCount: 2,
    healthCheckPath: "/health",
    // Non-root by default: a container escape or a file written by the app is then not root's.
    // An image that needs its own user sets services.<name>.user (root is refused).
    user: "1000:1000",
    environment: {},
    access: { send: [], consume: [], read: [], write: [], runtimeSecrets: [] },
    secrets: { platform: [], thirdParty: false },
    spot: false,
    exec: false,
    logRetentionDays: 30,
    backlogPerTask: 10,
};

/**
 * Seed 004's four services. The api serves the web and mobile clients and enqueues work; the
 * worker consumes jobs and touches the buckets; the scheduler is a singleton (exactly one task,
 * or jobs are scheduled twice) that enqueues jobs; the notifier consumes events.
 */
const SEED_SERVICES: Record<string, ServiceDefaults> = {
    api: {
        ...BASE,
        cpu: 512,
        memory: 1024,
        port: 4000,
        access: { ...BASE.access, send: ["jobs", "events"], read: ["uploads"], write: ["uploads"] },
        secrets: { platform: ["database", "cache", "jwt"], thirdParty: true },
    },
    worker: {
        ...BASE,
        port: 4001,
        access: {
            ...BASE.access,
            send: ["events"],
            consume: ["jobs"],
            read: ["uploads", "assets"],
            write: ["uploads", "assets"],
        },
        secrets: { platform: ["database", "cache"], thirdParty: true },
    },
    scheduler: {
        ...BASE,
        port: 4002,
        minCount: 1,
        maxCount: 1,
        access: { ...BASE.access, send: ["jobs"] },
        secrets: { platform: ["database"], thirdParty: false },
    },
    notifier: {
        ...BASE,
        port: 4003,
        access: { ...BASE.access, consume: ["events"] },
        secrets: { platform: ["database"], thirdParty: true },
    },
};

/**
 * What differs by tier. dev runs the api alone, one task, with ECS Exec for debugging and 30 days
 * of logs (seed 002); prod runs the four services at seed 004's counts (api 2-10 per seed 002),
 * the worker partly on Spot, exec off, and keeps service logs a year: seed 002 keeps 30 days, but
 * the pack's log-retention rule (CloudWatch.16) asks 365 in prod, and storage ($0.03/GB-month) is
 * small beside ingestion ($0.50/GB), which retention does not change.
 */
export const SERVICES_TIER_DEFAULTS: Record<
    Environment,
    { services: Record<string, Partial<ServiceDefaults>>; cluster: ClusterConfig; deploy: { branch: string } }
> = {
    dev: {
        services: {
            api: { cpu: 256, memory: 512, desiredCount: 1, minCount: 1, maxCount: 2 },
        },
        cluster: {
            capacity: "fargate",
            containerInsights: "enhanced",
            execLogRetentionDays: 30,
            ec2: { instanceType: "t3.medium", min: 1, max: 3 },
        },
        deploy: { branch: "main" },
    },
    prod: {
        services: {
            api: { desiredCount: 2, minCount: 2, maxCount: 10 },
            worker: { desiredCount: 5, minCount: 2, maxCount: 20, spot: true },
            scheduler: { desiredCount: 1, minCount: 1, maxCount: 1 },
            notifier: { desiredCount: 2, minCount: 2, maxCount: 6 },
        },
        cluster: {
            capacity: "fargate",
            containerInsights: "enhanced",
            execLogRetentionDays: 365,
            ec2: { instanceType: "t3.medium", min: 2, max: 10 },
        },
        deploy: { branch: "main" },
    },
};

/** Defaults of a service the seeds don't name: the base values, two tasks in prod (one per AZ). */
function defaultsFor(name: string, environment: Environment): ServiceDefaults | Omit<ServiceDefaults, "port"> {
    const seed = SEED_SERVICES[name];
    const tier = SERVICES_TIER_DEFAULTS[environment].services[name];
    const base = seed ?? (environment === "prod" ? { ...BASE, desiredCount: 2, minCount: 2, maxCount: 4 } : BASE);
    return { ...base, ...(environment === "dev" ? { exec: true } : { logRetentionDays: 365 }), ...tier };
}

const GRAVITON = /^[a-z]+\d+[a-z]*g[a-z]*\./;

/**
 * Applies the tier defaults and checks the rules that span fields and services. The services
 * are exactly the ones the stack lists under `services` (each filled from the defaults of its
 * name); without `services`, the tier's. Pure; problems are keyed `groundwork:<section>.<field>`.
 */
export function resolveServicesConfig(
    raw: RawServicesConfig,
    environment: Environment,
    thirdPartyKeys: string[],
): { config: ServicesConfig; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const problem = (key: string, message: string) => problems.push({ key: `${NAMESPACE}:${key}`, message });
    const tier = SERVICES_TIER_DEFAULTS[environment];

    const cluster: ClusterConfig = {
        capacity: raw.cluster?.capacity ?? tier.cluster.capacity,
        containerInsights: raw.cluster?.containerInsights ?? tier.cluster.containerInsights,
        execLogRetentionDays: raw.cluster?.execLogRetentionDays ?? tier.cluster.execLogRetentionDays,
        ec2: { ...tier.cluster.ec2, ...raw.cluster?.ec2 },
    };
    if (raw.cluster?.ec2 !== undefined && cluster.capacity !== "ec2") {
        problem("cluster.ec2", "is set but cluster.capacity is fargate; set capacity: ec2 or remove it");
    }
    if (cluster.ec2.min > cluster.ec2.max) {
        problem("cluster.ec2.min", `${cluster.ec2.min} is above cluster.ec2.max (${cluster.ec2.max})`);
    }

    // Pulumi.yaml declares `services` with the default {} (so the CLI does not require it): an
    // empty map therefore means "not set", and the tier's services run.
    const listed = Object.keys(raw.services ?? {});
    const names = listed.length === 0 ? Object.keys(tier.services) : listed;
    const knownSecrets = [...PLATFORM_SECRETS, ...thirdPartyKeys];
    const ports = new Map<number, string>();
    const services: Record<string, ServiceConfig> = {};
    for (const name of names) {
        const key = (field: string) => `services.${name}${field ? `.${field}` : ""}`;
        if (!SERVICE_NAME.test(name)) {
            problem(
                key(""),
                `${JSON.stringify(name)} is not a service name: lower-case letters, digits and hyphens, starting with a letter, up to 24 characters`,
            );
            continue;
        }
        const given = raw.services?.[name] ?? {};
        const { secrets: defaultSecrets, ...defaults } = defaultsFor(name, environment);
        const port = given.port ?? ("port" in defaults ? defaults.port : undefined);
        if (port === undefined) {
            problem(
                key("port"),
                "is required for a service Groundwork has no defaults for (api, worker, scheduler, notifier)",
            );
            continue;
        }
        const secrets = given.access?.secrets ?? [
            ...defaultSecrets.platform,
            ...(defaultSecrets.thirdParty ? thirdPartyKeys : []),
        ];
        const service: ServiceConfig = {
            ...defaults,
            ...given,
            port,
            environment: { ...defaults.environment, ...given.environment },
            access: {
                send: given.access?.send ?? defaults.access.send,
                consume: given.access?.consume ?? defaults.access.consume,
                read: given.access?.read ?? defaults.access.read,
                write: given.access?.write ?? defaults.access.write,
                secrets,
                runtimeSecrets: given.access?.runtimeSecrets ?? defaults.access.runtimeSecrets,
            },
        };
        checkCounts(service, given, key, problem);
        const size = fargateSizeProblem(service.cpu, service.memory);
        if (size !== undefined) {
            problem(given.memory !== undefined || given.cpu === undefined ? key("memory") : key("cpu"), size);
        }
        const pipelineTag = raw.imageTags?.[name];
        if (pipelineTag !== undefined) {
            if (given.image !== undefined) {
                problem(`imageTags.${name}`, `is set but services.${name}.image names an external image; remove one`);
            }
            service.imageTag = pipelineTag;
        }
        if (given.image !== undefined && given.imageTag !== undefined) {
            problem(
                key("imageTag"),
                "is set together with image; use image (an external URI) or imageTag (the service's own repository), not both",
            );
        }
        const clash = ports.get(service.port);
        if (clash !== undefined) {
            problem(
                key("port"),
                `${service.port} is already the port of services.${clash}; each service needs its own`,
            );
        }
        ports.set(service.port, name);
        for (const [envName] of Object.entries(given.environment ?? {})) {
            const envKey = key(`environment.${envName}`);
            if (!ENV_NAME.test(envName)) {
                problem(
                    envKey,
                    "is not an environment variable name (letters, digits and _, not starting with a digit)",
                );
            } else if (
                (PLATFORM_ENV_NAMES as readonly string[]).includes(envName) ||
                COMPONENT_ENV_NAMES.includes(envName)
            ) {
                problem(envKey, "is set by Groundwork from the platform's own outputs; choose another name");
            } else if (SECRET_LIKE_ENV_NAME.test(envName)) {
                problem(
                    envKey,
                    "looks like a secret: plain environment values are visible in the task definition; store it as a third-party key (secrets.thirdPartyKeys) and list it in access.secrets",
                );
            }
        }
        for (const field of ["secrets", "runtimeSecrets"] as const) {
            service.access[field].forEach((secret, i) => {
                if (!knownSecrets.includes(secret)) {
                    problem(
                        key(`access.${field}[${i}]`),
                        `${JSON.stringify(secret)} is not a secret of this stack; known: ${knownSecrets.join(", ")}`,
                    );
                }
            });
        }
        if (cluster.capacity === "ec2") {
            if (given.spot === true) {
                problem(key("spot"), "is true but cluster.capacity is ec2: Fargate Spot runs on Fargate capacity only");
            }
            if (service.architecture === "arm64" && !GRAVITON.test(cluster.ec2.instanceType)) {
                problem(
                    key("architecture"),
                    `arm64 needs Graviton instances, but cluster.ec2.instanceType is ${cluster.ec2.instanceType}`,
                );
            }
            if (service.architecture === "x86_64" && GRAVITON.test(cluster.ec2.instanceType)) {
                problem(
                    key("architecture"),
                    `x86_64 cannot run on ${cluster.ec2.instanceType} (Graviton, arm64); set architecture: arm64`,
                );
            }
            service.spot = false;
        }
        services[name] = service;
    }

    for (const name of Object.keys(raw.imageTags ?? {})) {
        if (!(name in services) && !listed.includes(name) && !names.includes(name)) {
            problem(`imageTags.${name}`, `is not a service of this stack; services: ${names.join(", ")}`);
        }
    }

    const deployRaw = raw.deploy ?? {};
    const deploy: DeployConfig = { ...deployRaw, branch: deployRaw.branch ?? tier.deploy.branch };
    if (deployRaw.githubRepository === undefined) {
        for (const field of ["branch", "environment", "oidcProviderArn"] as const) {
            if (deployRaw[field] !== undefined) {
                problem(
                    `deploy.${field}`,
                    "is set but deploy.githubRepository is not; set the repository or remove it",
                );
            }
        }
    }
    return { config: { services, cluster, deploy }, problems };
}

function checkCounts(
    service: ServiceConfig,
    given: { desiredCount?: number; minCount?: number; maxCount?: number },
    key: (field: string) => string,
    problem: (key: string, message: string) => void,
): void {
    if (service.minCount > service.maxCount) {
        problem(
            key(given.minCount !== undefined ? "minCount" : "maxCount"),
            `minCount ${service.minCount} is above maxCount ${service.maxCount}`,
        );
        return;
    }
    if (service.desiredCount < service.minCount || service.desiredCount > service.maxCount) {
        problem(
            key("desiredCount"),
            `${service.desiredCount} is outside [minCount, maxCount] = [${service.minCount}, ${service.maxCount}]`,
        );
    }
}
