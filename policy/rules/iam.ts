/**
 * 5.5 IAM least privilege.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { forEachContainer } from "./lib/ecs";
import { actionMatches, isPolicyError, parsePolicyDocument, PolicyStatement } from "./lib/policy-documents";
import { arnEndsWith, referencedBy, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import { allOf, anyOf, asList, asStr, isTrue, show } from "./lib/values";

function not(t: Tri): Tri {
    return t === UNKNOWN ? UNKNOWN : !t;
}

/** `*` or a whole-service wildcard such as `s3:*`. */
function isBroadAction(a: unknown): Tri {
    if (a === UNKNOWN) {
        return UNKNOWN;
    }
    return typeof a === "string" && (a.trim() === "*" || /^[a-z0-9-]+:\*$/i.test(a.trim()));
}

function resourceIsStar(s: PolicyStatement): Tri {
    if (s.hasNotResource) {
        return true; // Allow + NotResource grants everything but a few ARNs
    }
    if (s.resources === UNKNOWN) {
        return UNKNOWN;
    }
    // An unknown element is an ARN output of this program (see lib/unknowns.ts); "*" is only ever a literal.
    return s.resources.some(r => r === "*");
}

function actionsMatch(actions: unknown[] | Unknown, test: (a: unknown) => Tri): Tri {
    return actions === UNKNOWN ? UNKNOWN : anyOf(actions.map(test));
}

/** The policy documents a resource carries: `policy`, or a Role's `inlinePolicies[].policy`. */
function documentsOf(r: { type: string; props: Record<string, unknown> }): { label: string; raw: unknown }[] | Unknown {
    if (r.type !== T.iamRole) {
        return [{ label: "policy", raw: r.props.policy }];
    }
    const inline = asList(r.props.inlinePolicies);
    if (inline === UNKNOWN) {
        return UNKNOWN;
    }
    return inline.map((p, i) => {
        const name = asStr(peek(p, "name"));
        return { label: `inlinePolicies[${typeof name === "string" ? name : i}]`, raw: peek(p, "policy") };
    });
}

const iamNoWildcard = resourceRule(
    {
        name: "iam-no-wildcard",
        description: "IAM policies grant no wildcard actions on all resources, and no kms:Decrypt on all keys.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "KMS.1; KMS.2; CKV_AWS_62; CKV_AWS_63; CKV_AWS_355",
        remediation: "List the specific actions the principal needs and scope Resource to the ARNs they apply to " +
            "(kms:Decrypt on the key's ARN, not \"*\").",
    },
    [T.iamPolicy, T.iamRolePolicy, T.iamRole, "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"],
    (r, _cfg, f) => {
        const docs = documentsOf(r);
        if (docs === UNKNOWN) {
            f.unknown("inlinePolicies");
            return;
        }
        for (const { label, raw } of docs) {
            if (raw === undefined || raw === null || raw === "") {
                continue;
            }
            const doc = parsePolicyDocument(raw);
            if (doc === UNKNOWN) {
                f.unknown(`${label} document`);
                continue;
            }
            if (isPolicyError(doc)) {
                f.fail(`${label}: ${doc.error}: fix the document.`);
                continue;
            }
            doc.statements.forEach((s, i) => {
                if (s.effect !== "Allow") {
                    return;
                }
                const where = `${label} ${s.sid ? `statement ${s.sid}` : `Statement[${i}]`}`;
                const star = resourceIsStar(s);
                const broad = anyOf([actionsMatch(s.actions, isBroadAction), s.notActions !== UNKNOWN && s.notActions.length > 0]);
                const wildcard = allOf([broad, star]);
                f.expect(not(wildcard), `${where} Action/Resource`,
                    `${where} allows ${s.notActions !== UNKNOWN && s.notActions.length > 0 ? "NotAction (everything else)" : `Action ${show(s.actions)}`} ` +
                    "on Resource \"*\": list the specific actions and scope Resource to the ARNs they need.");
                if (wildcard === true) {
                    return;
                }
                const decrypt = allOf([
                    actionsMatch(s.actions, a => (a === UNKNOWN ? UNKNOWN : typeof a === "string" && actionMatches(a, "kms:Decrypt"))),
                    star,
                ]);
                f.expect(not(decrypt), `${where} kms:Decrypt resource`,
                    `${where} allows kms:Decrypt on Resource "*", i.e. every key in the account: set Resource to the ` +
                    "key ARN(s) (key.arn).");
            });
        }
    },
);

// ------------------------------------------------------------------------------------------------

const DENIED_MANAGED_POLICIES = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

interface AdminAttachConfig {
    deniedPolicyNames?: string[];
}

const iamNoAdminAttach = resourceRule(
    {
        name: "iam-no-admin-attach",
        description: "No role is given AWS's administrator-level managed policies.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "CKV_AWS_274; CKV2_AWS_56",
        remediation: "Attach a least-privilege customer-managed policy instead of AdministratorAccess, IAMFullAccess " +
            "or PowerUserAccess.",
        configSchema: {
            properties: {
                deniedPolicyNames: {
                    type: "array", items: { type: "string" }, default: DENIED_MANAGED_POLICIES,
                    description: "AWS managed policy names that must never be attached.",
                },
            },
        },
    },
    [T.iamRolePolicyAttachment, T.iamPolicyAttachment, T.iamRole, T.iamRolePolicyAttachmentsExclusive,
        "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"],
    (r, cfg: AdminAttachConfig, f) => {
        const denied = cfg.deniedPolicyNames ?? DENIED_MANAGED_POLICIES;
        const key = r.type === T.iamRole ? "managedPolicyArns" : r.type === T.iamRolePolicyAttachmentsExclusive ? "policyArns" : "policyArn";
        // A single policyArn is one element; only a whole list can be unknown as a list.
        const arns = key === "policyArn" ? [r.props[key]] : asList(r.props[key]);
        if (arns === UNKNOWN) {
            f.unknown(key);
            return;
        }
        for (const a of arns) {
            const arn = asStr(a);
            if (arn === UNKNOWN) {
                // An unknown ARN is a policy created in this program (AWS-managed ARNs are literals, and
                // invokes such as aws.iam.getPolicy resolve at preview); iam-no-wildcard checks its document.
                continue;
            }
            const hit = typeof arn === "string" ? denied.find(n => new RegExp(`:policy/(.+/)?${n.replace(/[^A-Za-z0-9]/g, "\\$&")}$`).test(arn)) : undefined;
            if (hit) {
                f.fail(`${key} attaches ${hit} (${arn}): attach a customer-managed policy with only the actions ` +
                    "this role needs.");
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

/** The roles an input refers to: by Output edge, or a literal ARN ending in `:role/<name>`. */
function rolesOf(stack: StackView, td: Res, key: string): Res[] {
    return referencedBy(stack, td, key, [T.iamRole], arnEndsWith("name", ":role/"));
}

const ECS_TASKS = "ecs-tasks.amazonaws.com";

/** Whether a trust policy lets only ECS tasks assume the role. */
function trustsOnlyEcsTasks(raw: unknown): Tri | { error: string } {
    const doc = parsePolicyDocument(raw);
    if (doc === UNKNOWN) {
        return UNKNOWN;
    }
    if (isPolicyError(doc)) {
        return doc;
    }
    return allOf(doc.statements.filter(s => s.effect === "Allow").map(s => {
        if (s.notPrincipal !== undefined) {
            return false;
        }
        const p = s.principal;
        if (p === UNKNOWN) {
            return UNKNOWN;
        }
        if (p === null || typeof p !== "object" || Array.isArray(p)) {
            return false; // "*" or garbage
        }
        const kinds = Object.keys(p);
        if (kinds.length !== 1 || kinds[0] !== "Service") {
            return false;
        }
        const services = asList(peek(p, "Service"));
        if (services === UNKNOWN) {
            return UNKNOWN;
        }
        return services.length > 0 && allOf(services.map(x => (x === UNKNOWN ? UNKNOWN : x === ECS_TASKS)));
    }));
}

const iamEcsRoles = stackRule(
    {
        name: "iam-ecs-roles",
        description: "ECS tasks use separate task and execution roles, each assumable only by ecs-tasks.amazonaws.com.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "CKV_AWS_249; CKV_AWS_60; CKV_AWS_61",
        remediation: "Create two roles (execution: pull images, read secrets, write logs; task: what the app calls) " +
            "whose assumeRolePolicy allows only Service ecs-tasks.amazonaws.com.",
    },
    (stack, _cfg, f) => {
        const checkedRoles = new Set<string>();
        for (const td of stack.ofType(T.ecsTaskDefinition)) {
            const task = rolesOf(stack, td, "taskRoleArn");
            const exec = rolesOf(stack, td, "executionRoleArn");
            const shared = task.filter(t => exec.some(e => e.urn === t.urn));
            const taskArn = asStr(td.props.taskRoleArn);
            const execArn = asStr(td.props.executionRoleArn);
            if (shared.length > 0 || (typeof taskArn === "string" && taskArn === execArn)) {
                f.fail(`task definition ${td.name} uses the same role for taskRoleArn and executionRoleArn, so the ` +
                    "application gets the agent's secret-reading rights: create a separate task role.", td.urn);
            } else if (task.length === 0 && exec.length === 0 && taskArn === UNKNOWN && execArn === UNKNOWN) {
                f.unknown(`${td.name} taskRoleArn/executionRoleArn (not linked to roles in this stack)`);
            }
            for (const role of [...task, ...exec]) {
                if (checkedRoles.has(role.urn)) {
                    continue;
                }
                checkedRoles.add(role.urn);
                const verdict = trustsOnlyEcsTasks(role.props.assumeRolePolicy);
                if (typeof verdict === "object") {
                    f.fail(`role ${role.name}'s assumeRolePolicy: ${verdict.error}.`, role.urn);
                    continue;
                }
                f.expect(verdict, `${role.name}.assumeRolePolicy`,
                    `role ${role.name} (used by ${td.name}) can be assumed by principals other than ${ECS_TASKS}: ` +
                    `trust only { Service: "${ECS_TASKS}" }.`, role.urn);
            }
        }
    },
);

// ------------------------------------------------------------------------------------------------

interface EcsSecretsConfig {
    secretNamePattern?: string;
    allowedEnvNames?: string[];
}

const iamEcsSecrets = resourceRule(
    {
        name: "iam-ecs-secrets",
        description: "ECS containers get secrets from `secrets[]`, run unprivileged with a read-only root filesystem.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "ECS.1; ECS.3; ECS.4; ECS.5; ECS.8; CKV_AWS_334; CKV_AWS_335; CKV_AWS_336",
        remediation: "Move secret-looking environment variables to secrets[] ({ name, valueFrom: secret.arn }); set " +
            "privileged: false and readonlyRootFilesystem: true; don't use pidMode \"host\".",
        configSchema: {
            properties: {
                secretNamePattern: {
                    type: "string", default: "PASS|SECRET|TOKEN|KEY",
                    description: "Case-insensitive regular expression for environment variable names that hold secrets.",
                },
                allowedEnvNames: {
                    type: "array", items: { type: "string" }, default: [],
                    description: "Variable names that match the pattern but hold no secret (e.g. SECRET_ARN).",
                },
            },
        },
    },
    [T.ecsTaskDefinition],
    (r, cfg: EcsSecretsConfig, f) => {
        let pattern: RegExp;
        try {
            pattern = new RegExp(cfg.secretNamePattern ?? "PASS|SECRET|TOKEN|KEY", "i");
        } catch {
            pattern = /PASS|SECRET|TOKEN|KEY/i;
        }
        const allowed = cfg.allowedEnvNames ?? [];
        const pid = asStr(r.props.pidMode);
        f.expect(pid === UNKNOWN ? UNKNOWN : pid !== "host", "pidMode",
            "pidMode is \"host\", so containers see every process on the host: remove it.");
        forEachContainer(r.props.containerDefinitions, f, (c, label) => {
            const env = asList(peek(c, "environment"));
            for (const e of env === UNKNOWN ? [] : env) {
                const name = asStr(peek(e, "name"));
                if (typeof name === "string" && pattern.test(name) && !allowed.includes(name)) {
                    f.fail(`${label} passes ${name} as a plain environment variable (visible in the task definition): ` +
                        `move it to secrets: [{ name: "${name}", valueFrom: secret.arn }].`);
                }
            }
            if (isTrue(peek(c, "privileged")) === true) {
                f.fail(`${label} runs privileged: set privileged: false.`);
            }
            if (isTrue(peek(c, "readonlyRootFilesystem")) !== true) {
                f.fail(`${label} has a writable root filesystem: set readonlyRootFilesystem: true (mount a volume ` +
                    "for scratch space).");
            }
        });
    },
);

export const iamPolicies: RegisteredPolicy[] = [iamNoWildcard, iamNoAdminAttach, iamEcsRoles, iamEcsSecrets];
