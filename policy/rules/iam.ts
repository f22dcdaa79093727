/**
 * 5.5 IAM least privilege.
 */
import { RegisteredPolicy, resourceRule, stackRule } from "./lib/define";
import { forEachContainer } from "./lib/ecs";
import {
    actionMatches,
    conditionKeys,
    isPolicyError,
    parsePolicyDocument,
    PolicyStatement,
} from "./lib/policy-documents";
import { arnEndsWith, referencedBy, Res, StackView } from "./lib/stack-view";
import { T } from "./lib/types";
import { peek, Tri, UNKNOWN, Unknown } from "./lib/unknowns";
import { allOf, anyOf, asList, asStr, isTrue, show } from "./lib/values";
import { credentialShape, isCredentialName, secretInEnv } from "./lib/credentials";
import { AccountConfig, hasSourceCondition, judgeAccount, ownAccounts, principalsOf } from "./principals";

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
    return s.resources.some((r) => r === "*");
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

/** Actions that must name their resources: on "*" each one reaches everything of its kind. */
const SENSITIVE_ACTIONS = [
    { action: "kms:Decrypt", what: "every key in the account", fix: "set Resource to the key ARN(s) (key.arn)" },
    {
        action: "iam:PassRole",
        what: "any role, including admin roles, can be handed to a service (privilege escalation)",
        fix: "set Resource to the role ARN(s) the service needs, with Condition iam:PassedToService",
    },
    {
        action: "secretsmanager:GetSecretValue",
        what: "every secret in the account",
        fix: "set Resource to the secret ARN(s) (secret.arn)",
    },
];

const iamNoWildcard = resourceRule(
    {
        name: "iam-no-wildcard",
        description:
            "IAM policies grant no wildcard actions on all resources, and no kms:Decrypt, iam:PassRole or " +
            'secretsmanager:GetSecretValue on "*".',
        enforcementLevel: "mandatory",
        family: "iam",
        source: "KMS.1; KMS.2; CKV_AWS_62; CKV_AWS_63; CKV_AWS_355; CKV_AWS_286; CKV_AWS_288",
        remediation:
            "List the specific actions the principal needs and scope Resource to the ARNs they apply to " +
            "(kms:Decrypt on the key's ARN, iam:PassRole on the role's ARN, GetSecretValue on the secret's ARN; not \"*\").",
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
                const broad = anyOf([
                    actionsMatch(s.actions, isBroadAction),
                    s.notActions !== UNKNOWN && s.notActions.length > 0,
                ]);
                const wildcard = allOf([broad, star]);
                f.expect(
                    not(wildcard),
                    `${where} Action/Resource`,
                    `${where} allows ${s.notActions !== UNKNOWN && s.notActions.length > 0 ? "NotAction (everything else)" : `Action ${show(s.actions)}`} ` +
                        'on Resource "*": list the specific actions and scope Resource to the ARNs they need.',
                );
                if (wildcard === true) {
                    return;
                }
                for (const { action, what, fix } of SENSITIVE_ACTIONS) {
                    const hit = allOf([
                        actionsMatch(s.actions, (a) =>
                            a === UNKNOWN ? UNKNOWN : typeof a === "string" && actionMatches(a, action),
                        ),
                        star,
                    ]);
                    f.expect(
                        not(hit),
                        `${where} ${action} resource`,
                        `${where} allows ${action} on Resource "*", i.e. ${what}: ${fix}.`,
                    );
                }
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
        remediation:
            "Attach a least-privilege customer-managed policy instead of AdministratorAccess, IAMFullAccess " +
            "or PowerUserAccess.",
        configSchema: {
            properties: {
                deniedPolicyNames: {
                    type: "array",
                    items: { type: "string" },
                    default: DENIED_MANAGED_POLICIES,
                    description: "AWS managed policy names that must never be attached.",
                },
            },
        },
    },
    [
        T.iamRolePolicyAttachment,
        T.iamPolicyAttachment,
        T.iamRole,
        T.iamRolePolicyAttachmentsExclusive,
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    ],
    (r, cfg: AdminAttachConfig, f) => {
        const denied = cfg.deniedPolicyNames ?? DENIED_MANAGED_POLICIES;
        const key =
            r.type === T.iamRole
                ? "managedPolicyArns"
                : r.type === T.iamRolePolicyAttachmentsExclusive
                  ? "policyArns"
                  : "policyArn";
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
            const hit =
                typeof arn === "string"
                    ? denied.find((n) => new RegExp(`:policy/(.+/)?${n.replace(/[^A-Za-z0-9]/g, "\\$&")}$`).test(arn))
                    : undefined;
            if (hit) {
                f.fail(
                    `${key} attaches ${hit} (${arn}): attach a customer-managed policy with only the actions ` +
                        "this role needs.",
                );
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
    return allOf(
        doc.statements
            .filter((s) => s.effect === "Allow")
            .map((s) => {
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
                return services.length > 0 && allOf(services.map((x) => (x === UNKNOWN ? UNKNOWN : x === ECS_TASKS)));
            }),
    );
}

const iamEcsRoles = stackRule(
    {
        name: "iam-ecs-roles",
        description: "ECS tasks use separate task and execution roles, each assumable only by ecs-tasks.amazonaws.com.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "CKV_AWS_249; CKV_AWS_60; CKV_AWS_61",
        remediation:
            "Create two roles (execution: pull images, read secrets, write logs; task: what the app calls) " +
            "whose assumeRolePolicy allows only Service ecs-tasks.amazonaws.com.",
    },
    (stack, _cfg, f) => {
        const checkedRoles = new Set<string>();
        for (const td of stack.ofType(T.ecsTaskDefinition)) {
            const task = rolesOf(stack, td, "taskRoleArn");
            const exec = rolesOf(stack, td, "executionRoleArn");
            const shared = task.filter((t) => exec.some((e) => e.urn === t.urn));
            const taskArn = asStr(td.props.taskRoleArn);
            const execArn = asStr(td.props.executionRoleArn);
            if (shared.length > 0 || (typeof taskArn === "string" && taskArn === execArn)) {
                f.fail(
                    `task definition ${td.name} uses the same role for taskRoleArn and executionRoleArn, so the ` +
                        "application gets the agent's secret-reading rights: create a separate task role.",
                    td.urn,
                );
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
                f.expect(
                    verdict,
                    `${role.name}.assumeRolePolicy`,
                    `role ${role.name} (used by ${td.name}) can be assumed by principals other than ${ECS_TASKS}: ` +
                        `trust only { Service: "${ECS_TASKS}" }.`,
                    role.urn,
                );
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
        remediation:
            "Move secret-looking environment variables to secrets[] ({ name, valueFrom: secret.arn }); set " +
            'privileged: false and readonlyRootFilesystem: true; don\'t use pidMode "host".',
        configSchema: {
            properties: {
                secretNamePattern: {
                    type: "string",
                    default: "PASS|SECRET|TOKEN|KEY",
                    description:
                        "Case-insensitive regular expression for environment variable names that hold secrets.",
                },
                allowedEnvNames: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
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
        f.expect(
            pid === UNKNOWN ? UNKNOWN : pid !== "host",
            "pidMode",
            'pidMode is "host", so containers see every process on the host: remove it.',
        );
        forEachContainer(r.props.containerDefinitions, f, (c, label) => {
            const env = asList(peek(c, "environment"));
            for (const e of env === UNKNOWN ? [] : env) {
                const name = asStr(peek(e, "name"));
                const value = asStr(peek(e, "value"));
                // A value shaped like a credential is iam-ecs-env-values' finding (it also asks for a rotation).
                const leaked = typeof value === "string" && credentialShape(value) !== undefined;
                // The pack's shared name test too (CREDENTIAL, AUTH), which a narrower configured pattern may miss.
                const secretName = typeof name === "string" && (pattern.test(name) || isCredentialName(name));
                if (typeof name === "string" && secretName && !allowed.includes(name) && !leaked) {
                    f.fail(
                        `${label} passes ${name} as a plain environment variable (visible in the task definition): ` +
                            `move it to secrets: [{ name: "${name}", valueFrom: secret.arn }].`,
                    );
                }
            }
            if (isTrue(peek(c, "privileged")) === true) {
                f.fail(`${label} runs privileged: set privileged: false.`);
            }
            if (isTrue(peek(c, "readonlyRootFilesystem")) !== true) {
                f.fail(
                    `${label} has a writable root filesystem: set readonlyRootFilesystem: true (mount a volume ` +
                        "for scratch space).",
                );
            }
        });
    },
);

// ------------------------------------------------------------------------------------------------

interface TrustConfig extends AccountConfig {
    servicesWithoutSourceCondition?: string[];
}

/**
 * Services whose role trust AWS documents no source condition for: EC2 instance profiles (the session
 * belongs to an instance, not to a resource ARN the service could pass; see prowler#2810 and the IAM
 * User Guide's list of services supporting aws:SourceArn).
 */
const DEFAULT_TRUST_EXEMPT = ["ec2.amazonaws.com"];

const iamRoleTrust = stackRule(
    {
        name: "iam-role-trust",
        description:
            'Roles are assumable by no one-at-all ("*"), by no account other than this one or an allow-listed ' +
            "one, and by services only with an aws:SourceAccount / aws:SourceArn condition.",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "CKV_AWS_60; CKV_AWS_61; IAM.AssumeRole cross-account; IAM User Guide: the confused deputy problem",
        remediation:
            "In assumeRolePolicy name the service (ecs-tasks.amazonaws.com, lambda.amazonaws.com, ...) with " +
            'Condition { StringEquals: { "aws:SourceAccount": <this account> } } (or ArnLike aws:SourceArn), or a ' +
            "principal of this account; allow-list other accounts in trustedAccountIds.",
        configSchema: {
            properties: {
                accountIds: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "This stack's AWS account id(s).",
                },
                trustedAccountIds: {
                    type: "array",
                    items: { type: "string" },
                    default: [],
                    description: "Other accounts that may assume roles.",
                },
                servicesWithoutSourceCondition: {
                    type: "array",
                    items: { type: "string" },
                    default: DEFAULT_TRUST_EXEMPT,
                    description: "Service principals for which AWS documents no source condition on role trust.",
                },
            },
        },
    },
    (stack, cfg: TrustConfig, f) => {
        const own = ownAccounts(stack, cfg);
        const trusted = cfg.trustedAccountIds ?? [];
        const exempt = (cfg.servicesWithoutSourceCondition ?? DEFAULT_TRUST_EXEMPT).map((x) => x.toLowerCase());
        for (const role of stack.ofType(T.iamRole)) {
            const doc = parsePolicyDocument(role.props.assumeRolePolicy);
            if (doc === UNKNOWN) {
                f.unknown(`${role.name}.assumeRolePolicy`);
                continue;
            }
            if (isPolicyError(doc)) {
                f.fail(`role ${role.name}'s assumeRolePolicy: ${doc.error}.`, role.urn);
                continue;
            }
            doc.statements.forEach((s, i) => {
                if (s.effect !== "Allow") {
                    return;
                }
                const where = `role ${role.name} ${s.sid ? `statement ${s.sid}` : `Statement[${i}]`}`;
                if (s.notPrincipal !== undefined) {
                    f.fail(`${where} trusts everyone but NotPrincipal: name the principal.`, role.urn);
                    return;
                }
                const guarded = hasSourceCondition(s.condition);
                for (const p of principalsOf(s.principal)) {
                    if (p.kind === "everyone") {
                        f.fail(
                            `${where} lets anyone assume the role (Principal "*"): name the service or principal.`,
                            role.urn,
                        );
                    } else if (p.kind === "unknown") {
                        f.unknown(`${where} principal (built from an Output)`);
                    } else if (p.kind === "account") {
                        const verdict = judgeAccount(p.value, own, trusted);
                        if (verdict === "foreign") {
                            f.fail(
                                `${where} trusts account ${p.value}, which is not this account and not in trustedAccountIds.`,
                                role.urn,
                            );
                        } else if (verdict === "unverifiable") {
                            f.unknown(
                                `${where}: whether account ${p.value} is this account (set accountIds in the pack config)`,
                            );
                        }
                    } else if (p.kind === "service" && !exempt.includes(p.value)) {
                        if (guarded === UNKNOWN) {
                            f.unknown(`${where} Condition`);
                        } else if (!guarded) {
                            f.fail(
                                `${where} trusts ${p.value} without aws:SourceAccount or aws:SourceArn, so the service can ` +
                                    "be steered into this role on another customer's behalf (confused deputy): add " +
                                    'Condition { StringEquals: { "aws:SourceAccount": <this account> } }.',
                                role.urn,
                            );
                        }
                    }
                }
            });
        }
    },
);

// ------------------------------------------------------------------------------------------------

/** GitHub Actions' OIDC issuer; an enterprise with its own issuer URL adds a path (`…/<slug>`). */
const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials requests, and the one AWS's and GitHub's guides set. */
const STS_AUDIENCE = "sts.amazonaws.com";
/**
 * A subject that names one repository: `repo:<owner>/<name>:<context>`, or GitHub's immutable form
 * `repo:<owner>@<ownerId>/<name>@<repoId>:<context>` (default for repositories created or renamed
 * after 18 June 2026, opt-in before; GitHub OIDC reference, "Immutable subject claims"). Owner and
 * name admit no `*` or `?`; the context may (`repo:o/r:*` is every workflow of that one repository).
 */
const ONE_REPOSITORY_SUBJECT = /^repo:[A-Za-z0-9][A-Za-z0-9-]*(?:@\d+)?\/[A-Za-z0-9._-]+(?:@\d+)?:./;
/** Operators that require the key to match: not the `…IfExists`, `Not…` or `ForAllValues:` ones, which pass when it is absent or different. */
const MATCHING_OPERATORS = ["StringEquals", "StringLike"];

/** The issuer a Federated principal names when it is GitHub's (`…:oidc-provider/token.actions.githubusercontent.com[/…]`). */
function githubIssuerOf(federated: string): string | undefined {
    const issuer = federated.includes(":oidc-provider/") ? federated.split(":oidc-provider/")[1] : federated;
    return issuer === GITHUB_OIDC_ISSUER || issuer.startsWith(`${GITHUB_OIDC_ISSUER}/`) ? issuer : undefined;
}

/** Values of condition `key` (case-insensitive, as IAM reads keys) under the matching operators; found: whether any names it. */
function matchedValues(condition: unknown, key: string): { found: boolean; values: unknown[] } | Unknown {
    if (condition === UNKNOWN) {
        return UNKNOWN;
    }
    let found = false;
    const values: unknown[] = [];
    for (const op of MATCHING_OPERATORS) {
        const block = peek(condition, op);
        if (block === UNKNOWN) {
            return UNKNOWN;
        }
        for (const k of block !== null && typeof block === "object" ? Object.keys(block) : []) {
            if (k.toLowerCase() !== key.toLowerCase()) {
                continue;
            }
            const list = asList(peek(block, k));
            if (list === UNKNOWN) {
                return UNKNOWN;
            }
            found = true;
            values.push(...list);
        }
    }
    return { found, values };
}

/**
 * The GitHub issuer a statement trusts: from its Federated principal, or, when that ARN is an
 * Output (a provider created in this stack), from its `token.actions.githubusercontent.com…:`
 * condition keys. `null`: not GitHub; UNKNOWN: cannot tell.
 */
function githubIssuerOfStatement(s: PolicyStatement): string | null | Unknown {
    const p = s.principal;
    const federated = p === UNKNOWN ? UNKNOWN : asList(peek(p, "Federated"));
    if (federated !== UNKNOWN && federated.every((v) => v !== UNKNOWN)) {
        const issuers = federated.map((v) => (typeof v === "string" ? githubIssuerOf(v) : undefined));
        return issuers.find((i) => i !== undefined) ?? null;
    }
    const keys = conditionKeys(s.condition);
    if (keys === UNKNOWN) {
        return UNKNOWN;
    }
    const github = keys.find((k) => k.startsWith(GITHUB_OIDC_ISSUER) && /:(aud|sub)$/.test(k));
    if (github !== undefined) {
        return github.replace(/:(aud|sub)$/, "");
    }
    // Another provider's claims (`oidc.eks…:sub`, `cognito-identity.amazonaws.com:aud`) say whose it is; none at all cannot tell.
    return keys.some((k) => /:(aud|sub)$/.test(k)) ? null : UNKNOWN;
}

/** Whether the statement allows sts:AssumeRoleWithWebIdentity (an Action pattern, or a NotAction that leaves it). */
function allowsWebIdentity(s: PolicyStatement): Tri {
    const action = "sts:AssumeRoleWithWebIdentity";
    if (s.notActions !== UNKNOWN && s.notActions.length > 0) {
        return not(
            anyOf(
                s.notActions.map((a) => (a === UNKNOWN ? UNKNOWN : typeof a === "string" && actionMatches(a, action))),
            ),
        );
    }
    return actionsMatch(s.actions, (a) =>
        a === UNKNOWN ? UNKNOWN : typeof a === "string" && actionMatches(a, action),
    );
}

const iamOidcTrust = resourceRule(
    {
        name: "iam-oidc-trust",
        description:
            "Roles that GitHub Actions assume through OIDC require the audience sts.amazonaws.com and a subject " +
            "naming one repository (repo:owner/name:…), never a wildcard owner or repository.",
        enforcementLevel: "mandatory",
        family: "iam",
        source:
            "CKV_AWS_358; GitHub Docs: Configuring OpenID Connect in Amazon Web Services; IAM User Guide: " +
            "Configuring a role for GitHub OIDC identity provider",
        remediation:
            'Condition { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", ' +
            '"token.actions.githubusercontent.com:sub": "repo:<owner>/<name>:ref:refs/heads/main" } } (or ' +
            ":environment:<name>, :pull_request); one repository per subject.",
    },
    [T.iamRole],
    (r, _cfg, f) => {
        const doc = parsePolicyDocument(r.props.assumeRolePolicy);
        if (doc === UNKNOWN) {
            f.unknown("assumeRolePolicy");
            return;
        }
        if (isPolicyError(doc)) {
            f.fail(`assumeRolePolicy: ${doc.error}.`);
            return;
        }
        doc.statements.forEach((s, i) => {
            if (s.effect !== "Allow") {
                return;
            }
            const where = `role ${r.name} ${s.sid ? `statement ${s.sid}` : `Statement[${i}]`}`;
            const issuer = githubIssuerOfStatement(s);
            const webIdentity = allowsWebIdentity(s);
            if (issuer === null || webIdentity === false) {
                return;
            }
            if (issuer === UNKNOWN || webIdentity === UNKNOWN) {
                f.unknown(`${where} principal and action (built from an Output)`);
                return;
            }
            const aud = matchedValues(s.condition, `${issuer}:aud`);
            const sub = matchedValues(s.condition, `${issuer}:sub`);
            if (aud === UNKNOWN || sub === UNKNOWN) {
                f.unknown(`${where} Condition`);
                return;
            }
            if (!aud.found) {
                f.fail(
                    `${where} trusts GitHub Actions without StringEquals "${issuer}:aud" = "${STS_AUDIENCE}": ` +
                        "add it, so tokens minted for other audiences are refused.",
                );
            } else if (aud.values.some((v) => v === UNKNOWN)) {
                f.unknown(`${where} ${issuer}:aud`);
            } else if (aud.values.some((v) => v !== STS_AUDIENCE)) {
                f.fail(`${where} accepts the audience ${show(aud.values)}: allow only "${STS_AUDIENCE}".`);
            }
            if (!sub.found) {
                f.fail(
                    `${where} trusts GitHub Actions without a StringEquals/StringLike condition on "${issuer}:sub", so ` +
                        "a workflow in any repository on GitHub can assume the role: name the repository " +
                        '("repo:<owner>/<name>:ref:refs/heads/main").',
                );
                return;
            }
            if (sub.values.some((v) => v === UNKNOWN)) {
                f.unknown(`${where} ${issuer}:sub`);
            }
            const wide = sub.values.filter(
                (v) => v !== UNKNOWN && !(typeof v === "string" && ONE_REPOSITORY_SUBJECT.test(v)),
            );
            if (wide.length > 0) {
                f.fail(
                    `${where} trusts the subject(s) ${show(wide)}, which do not name one repository (a wildcard owner ` +
                        "or repository, or not GitHub's \"repo:<owner>/<name>:…\" form): list each repository's subject.",
                );
            }
        });
    },
);

// ------------------------------------------------------------------------------------------------

const AMPLIFY_TYPES = ["aws:amplify/app:App", "aws:amplify/branch:Branch"];
const RDS_CLUSTER = "aws:rds/cluster:Cluster";

/** Inputs that are credentials by name: a literal value there is always a finding. */
const CREDENTIAL_INPUTS: { types: string[]; key: string; fix: string }[] = [
    {
        types: [T.rdsInstance],
        key: "password",
        fix: "set manageMasterUserPassword: true (RDS keeps it in Secrets Manager)",
    },
    { types: [RDS_CLUSTER], key: "masterPassword", fix: "set manageMasterUserPassword: true" },
    { types: [T.redis], key: "authToken", fix: "pass a random.RandomPassword's result stored in Secrets Manager" },
];

const PLAN_SECRET = "[secret]";

const iamNoLiteralCredentials = stackRule(
    {
        name: "iam-no-literal-credentials",
        description:
            "No credential is written into a resource input: no literal RDS master password or ElastiCache AUTH " +
            "token, no Amplify environment value that is a credential by name or by shape (Lambda and ECS " +
            "environments: iam-lambda-env-secrets, iam-ecs-env-values).",
        enforcementLevel: "mandatory",
        family: "iam",
        source: "CKV_AWS_46; CKV_AWS_41; CKV2_AWS_57; RDS (manage master user password)",
        remediation:
            "Use manageMasterUserPassword for RDS, a random.RandomPassword stored in Secrets Manager for the " +
            "AUTH token, and Secrets Manager references instead of Amplify environment values.",
    },
    (stack, _cfg, f) => {
        for (const { types, key, fix } of CREDENTIAL_INPUTS) {
            for (const r of stack.ofType(...types)) {
                const v = r.props[key];
                if (v === undefined || v === null || v === "") {
                    continue;
                }
                if (r.deps(key).length > 0) {
                    continue; // an Output of another resource (a RandomPassword, a secret version)
                }
                if (v === UNKNOWN) {
                    f.unknown(`${r.name}.${key} (not linked to a resource of this stack)`);
                    continue;
                }
                // A secret config value reaches the engine as plain text ("[secret]" in the offline plan): it still
                // sits in the program's config and state instead of being generated and rotated by AWS.
                f.fail(
                    `${r.name}.${key} is ${v === PLAN_SECRET ? "a secret config value" : "a literal"}: ${fix}.`,
                    r.urn,
                );
            }
        }
        // Lambda and ECS environments have rules of their own (iam-lambda-env-secrets, iam-ecs-env-values and
        // iam-ecs-secrets); Amplify's are checked here, with the same detector.
        for (const app of stack.ofType(...AMPLIFY_TYPES)) {
            const vars = app.props.environmentVariables;
            if (vars === UNKNOWN) {
                f.unknown(`${app.name}.environmentVariables`);
                continue;
            }
            for (const [k, v] of Object.entries((vars ?? {}) as Record<string, unknown>)) {
                const hit = typeof v === "string" ? secretInEnv(k, v) : undefined;
                if (hit?.kind === "value") {
                    f.fail(
                        `${app.name} environment variable ${k} holds ${hit.what}: store it in Secrets Manager and ` +
                            "read it at build time.",
                        app.urn,
                    );
                } else if (hit) {
                    f.fail(
                        `${app.name} environment variable ${k} is a credential by name with a literal value: store it ` +
                            "in Secrets Manager and reference it.",
                        app.urn,
                    );
                }
            }
        }
    },
);

export const iamPolicies: RegisteredPolicy[] = [
    iamNoWildcard,
    iamNoAdminAttach,
    iamEcsRoles,
    iamEcsSecrets,
    iamRoleTrust,
    iamOidcTrust,
    iamNoLiteralCredentials,
];
