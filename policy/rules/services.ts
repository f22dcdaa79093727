/**
 * ECS services and task definitions: what the next Service component must get right beyond the rules
 * in iam.ts (roles, secrets by name, privileged mode), network.ts (public IPs) and resilience.ts
 * (circuit breaker).
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { at, peek, UNKNOWN, Unknown } from "./lib/unknowns";
import { asStr } from "./lib/values";
import { forEachContainer } from "./lib/ecs";
import { envEntries, secretInEnv } from "./lib/credentials";

/** Whether a container `user` ("name", "uid", "name:group", "uid:gid") runs as root. */
export function isRootUser(user: string): boolean {
    const who = user.split(":")[0].trim().toLowerCase();
    return who === "root" || who === "0";
}

const iamEcsNonRoot = resourceRule(
    {
        name: "iam-ecs-nonroot",
        description: "ECS Linux containers run as a non-root user.",
        enforcementLevel: "advisory",
        family: "iam",
        source: "ECS.20; ecs-task-definition-linux-user-non-root",
        remediation:
            'Set each container\'s user to a non-root uid:gid (e.g. "1000:1000") that exists in the image, ' +
            "or build the image with a USER instruction and repeat it here.",
    },
    [T.ecsTaskDefinition],
    (r, _cfg, f) => {
        const os = asStr(at(r.props, "runtimePlatform", "operatingSystemFamily"));
        if (os === UNKNOWN) {
            f.unknown("runtimePlatform.operatingSystemFamily");
            return;
        }
        if (os?.toUpperCase().startsWith("WINDOWS")) {
            return; // ECS.20 covers Linux containers; Windows has no root uid
        }
        forEachContainer(r.props.containerDefinitions, f, (c, label) => {
            const user = asStr(peek(c, "user"));
            if (user === UNKNOWN) {
                f.unknown(`${label}.user`);
            } else if (user === undefined || user.trim() === "") {
                f.fail(
                    `${label} sets no user, so it runs as the image's default user (root for most images): set ` +
                        'user to a non-root uid:gid such as "1000:1000".',
                );
            } else if (isRootUser(user)) {
                f.fail(`${label} runs as user "${user}" (root): use a non-root uid:gid such as "1000:1000".`);
            }
        });
    },
);

// ------------------------------------------------------------------------------------------------

interface EnvValuesConfig {
    allowedEnvNames?: string[];
}

const iamEcsEnvValues = resourceRule(
    {
        name: "iam-ecs-env-values",
        description:
            "ECS container environment values hold no credentials (URLs with passwords, access keys, " +
            "private keys, tokens).",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "ECS.8; CKV_SECRET_2; CKV_SECRET_4; CKV_SECRET_6; CKV_SECRET_9; CKV_SECRET_13",
        remediation:
            "Store the value in Secrets Manager and inject it with secrets: [{ name, valueFrom: secret.arn }]; " +
            "rotate any credential that was already deployed in plain text.",
        configSchema: {
            properties: {
                allowedEnvNames: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Variable names whose values are known not to be secrets (e.g. a public key id).",
                },
            },
        },
    },
    [T.ecsTaskDefinition],
    (r, cfg: EnvValuesConfig, f) => {
        const allowed = cfg.allowedEnvNames ?? [];
        forEachContainer(r.props.containerDefinitions, f, (c, label) => {
            const env = envEntries(peek(c, "environment"));
            if (env === UNKNOWN) {
                f.unknown(`${label}.environment`);
                return;
            }
            for (const { name, value } of env) {
                const v = asStr(value);
                if (typeof v !== "string") {
                    continue; // an unknown value is another resource's output, not a literal credential
                }
                const hit = secretInEnv(name, v, allowed);
                // Secret-sounding names are iam-ecs-secrets' job; this rule reads the values.
                if (hit?.kind === "value") {
                    f.fail(
                        `${label} passes ${name} in plain text and its value looks like ${hit.what}: move it to ` +
                            `secrets: [{ name: "${name}", valueFrom: secret.arn }] and rotate it.`,
                    );
                }
            }
        });
    },
);

// ------------------------------------------------------------------------------------------------

/** The task definitions a service runs: by Output edge, or a literal `family[:revision]` / ARN of this stack. */
function taskDefinitionsOf(stack: StackView, service: Res): Res[] | Unknown {
    const viaEdge = service.deps("taskDefinition").filter((d) => d.type === T.ecsTaskDefinition);
    if (viaEdge.length > 0) {
        return viaEdge;
    }
    const literal = asStr(service.props.taskDefinition);
    if (literal === UNKNOWN) {
        return UNKNOWN;
    }
    if (literal === undefined) {
        return [];
    }
    const family = literal.replace(/^arn:[^:]*:ecs:[^:]*:[^:]*:task-definition\//, "").split(":")[0];
    return stack.ofType(T.ecsTaskDefinition).filter((td) => asStr(td.props.family) === family);
}

/** A task definition's task role as a comparable key: the role's URN, or the literal ARN. */
function taskRoleKey(td: Res): string | undefined | Unknown {
    const role = td.deps("taskRoleArn").find((d) => d.type === T.iamRole);
    if (role) {
        return role.urn;
    }
    const arn = asStr(td.props.taskRoleArn);
    return arn === UNKNOWN ? UNKNOWN : arn;
}

const iamEcsTaskRolePerService = stackRule(
    {
        name: "iam-ecs-task-role-per-service",
        description: "Each ECS service has its own task role, so one service's permissions never reach another.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "Amazon ECS best practices (task IAM roles); CKV_AWS_249 (companion)",
        remediation:
            "Give every service its own task definition with its own aws.iam.Role (taskRoleArn: role.arn) " +
            "holding only what that service calls.",
    },
    (stack, _cfg, f) => {
        const byRole = new Map<string, { service: Res; td: Res }[]>();
        for (const service of stack.ofType(T.ecsService)) {
            const tds = taskDefinitionsOf(stack, service);
            if (tds === UNKNOWN) {
                f.unknown(`${service.name}.taskDefinition (not linked to a task definition in this stack)`);
                continue;
            }
            for (const td of tds) {
                const key = taskRoleKey(td);
                if (key === UNKNOWN) {
                    f.unknown(`${td.name}.taskRoleArn (not linked to a role in this stack)`);
                } else if (key !== undefined) {
                    byRole.set(key, [...(byRole.get(key) ?? []), { service, td }]);
                }
            }
        }
        for (const users of byRole.values()) {
            const services = [...new Map(users.map((u) => [u.service.urn, u])).values()];
            if (services.length < 2) {
                continue;
            }
            const names = services.map((s) => `${s.service.name} (${s.td.name})`).join(", ");
            for (const s of services.slice(1)) {
                f.fail(
                    `services ${names} share one task role, so each gets the others' permissions: give ` +
                        `${s.service.name} its own task role.`,
                    s.service.urn,
                );
            }
        }
    },
);

export const servicePolicies: RegisteredPolicy[] = [iamEcsNonRoot, iamEcsEnvValues, iamEcsTaskRolePerService];
